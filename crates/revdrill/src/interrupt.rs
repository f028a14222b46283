//! Signals during `revdrill drill`: Ctrl-C (SIGINT), `kill` (SIGTERM) and a closed terminal
//! (SIGHUP) no longer end the process at once. [`catch`] installs a handler that only records
//! the signal; it is installed without `SA_RESTART`, so a read of stdin blocked in the kernel
//! returns at once, the answer reader ([`crate::input::AnswerReader`]) sees [`caught`] and ends
//! its block there, and `drill` saves the lines typed so far before it exits `128 + signal`.
//!
//! An editor started from the drill gets the default handlers back (`exec` resets caught
//! signals), so Ctrl-C inside it (vim: leave insert mode) is the editor's business: the
//! SIGINT it also sends to `revdrill` is forgotten when the editor returns
//! ([`forget_interrupt`]) instead of ending the drill and losing the editor's text.

use std::sync::atomic::{AtomicI32, Ordering};

/// The last signal caught, 0 for none.
static CAUGHT: AtomicI32 = AtomicI32::new(0);

/// The signals [`catch`] handles.
const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

extern "C" fn record(sig: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    CAUGHT.store(sig, Ordering::SeqCst);
}

/// From now on, SIGINT, SIGTERM and SIGHUP are recorded instead of ending the process. A
/// signal the process was started with ignored (`nohup`) stays ignored.
pub fn catch() {
    for sig in SIGNALS {
        // SAFETY: `sigaction` is called with a zeroed, fully initialised struct; the handler
        // does nothing but an atomic store, which is async-signal-safe.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN {
                continue;
            }
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = record as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut sa.sa_mask);
            sa.sa_flags = 0; // no SA_RESTART: a blocked read returns EINTR
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// The signal caught since [`catch`], if any.
pub fn caught() -> Option<i32> {
    match CAUGHT.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

/// Forgets a caught SIGINT (one meant for the editor); SIGTERM and SIGHUP are kept.
pub fn forget_interrupt() {
    let _ = CAUGHT.compare_exchange(libc::SIGINT, 0, Ordering::SeqCst, Ordering::SeqCst);
}
