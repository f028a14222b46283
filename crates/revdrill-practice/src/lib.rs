//! What a learner takes from practice to real pull requests: their own review of an attempt
//! exported as Markdown (Conventional Comments), as GitHub's "create a review" request body or
//! as SARIF 2.1.0 ([`export`]); the phrasebook of English review comments ([`phrases`]); and the
//! review template made personal from their history ([`template`]).
//!
//! Architecture invariant: this crate is pure: it turns drills, answers and stored figures into
//! text or JSON values; it never reads the store, the clock or the file system.
#![deny(missing_docs)]

pub mod export;
pub mod phrases;
pub mod template;
