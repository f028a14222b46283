//! Who may do what: every authorization decision of the team server, as pure functions of the
//! acting user and what the database says about their relation to the thing asked for. The
//! table in `docs/team-server.md` is this file in prose; `tests/authz.rs` checks every route
//! against it for every role.
//!
//! Architecture invariant: handlers never compare roles themselves; they ask this module, and
//! data functions that return another user's data take the acting user and call it.

use crate::accounts::{LinkGrant, Role, User};

/// How the acting user relates to a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CohortRelation {
    /// No relation.
    Outsider,
    /// A learner in it.
    Member,
    /// Its mentor.
    Mentor,
}

/// Whether `actor` may see the cohort (name, assignments).
pub fn can_see_cohort(actor: &User, rel: CohortRelation) -> bool {
    actor.role == Role::Admin || rel != CohortRelation::Outsider
}

/// Whether `actor` may see the cohort's members and manage it (invite, assign).
pub fn can_manage_cohort(actor: &User, rel: CohortRelation) -> bool {
    actor.role == Role::Admin || (actor.role == Role::Mentor && rel == CohortRelation::Mentor)
}

/// Whether `actor` may create cohorts (a mentor becomes the new cohort's mentor).
pub fn can_create_cohort(actor: &User) -> bool {
    matches!(actor.role, Role::Admin | Role::Mentor)
}

/// Whether `actor` may create an invite granting `grant`, `rel` being their relation to the
/// grant's cohort (`Outsider` when it names none). Admins invite anyone; mentors invite
/// learners into a cohort they mentor; learners invite no one.
pub fn can_invite(actor: &User, grant: LinkGrant, rel: CohortRelation) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Mentor => grant.role == Role::Learner && grant.cohort.is_some() && rel == CohortRelation::Mentor,
        Role::Learner => false,
    }
}

/// Whether `actor` may read the attempts (answers, reports, disputes) of user `owner`;
/// `mentors_owner` says whether `actor` mentors a cohort `owner` is a member of.
pub fn can_read_attempts_of(actor: &User, owner: i64, mentors_owner: bool) -> bool {
    actor.id == owner || actor.role == Role::Admin || (actor.role == Role::Mentor && mentors_owner)
}

/// Whether `actor` may list every account.
pub fn can_list_users(actor: &User) -> bool {
    actor.role == Role::Admin
}

/// Whether `actor` may accept or reject a learner's dispute; `mentors_owner` says whether they
/// mentor a cohort of the learner. The learner never resolves their own.
pub fn can_resolve_disputes_of(actor: &User, mentors_owner: bool) -> bool {
    actor.role == Role::Admin || (actor.role == Role::Mentor && mentors_owner)
}
