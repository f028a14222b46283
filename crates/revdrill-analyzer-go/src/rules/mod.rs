//! The rules: one file each, one registry line each.

use crate::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::registry::RuleInfo;

mod blocked_while_locked;
mod busy_loop;
mod cancel_not_called;
mod cancelled_context_use;
mod channel_closed_by_receiver;
mod check_then_act;
mod defer_in_loop;
mod double_lock;
mod error_compared_by_value;
mod goroutine_blocked_forever;
mod goroutine_waits_only_on_context;
mod ignored_error;
mod lock_order_inversion;
mod lock_without_unlock;
pub(crate) use lock_without_unlock::Event as LockEvent;
mod loop_variable_capture;
pub(crate) mod package_without_test;
mod partial_error_handling;
mod send_after_receiver_gone;
mod time_after_in_loop;
mod timer_drain_after_receive;
mod waitgroup_add_in_goroutine;
mod waitgroup_wait_in_loop;

/// A rule's facts and its check over one file.
pub(crate) struct Rule {
    pub info: RuleInfo,
    pub check: fn(&Checker, &mut Vec<Diagnostic>),
    /// Also runs on test code (`_test.go`, test helpers): only rules whose bug hangs or breaks a
    /// test run (leaks, deadlocks) do; error handling and style in tests are left alone.
    pub tests: bool,
}

/// The registry, in code order.
#[rustfmt::skip]
pub(crate) static RULES: &[Rule] = &[
    Rule { info: goroutine_blocked_forever::GoroutineBlockedForever::INFO, check: goroutine_blocked_forever::check, tests: true },
    Rule { info: goroutine_waits_only_on_context::GoroutineWaitsOnlyOnContext::INFO, check: goroutine_waits_only_on_context::check, tests: false },
    Rule { info: cancelled_context_use::CancelledContextUse::INFO, check: cancelled_context_use::check, tests: false },
    Rule { info: check_then_act::CheckThenAct::INFO, check: check_then_act::check, tests: false },
    Rule { info: partial_error_handling::PartialErrorHandling::INFO, check: partial_error_handling::check, tests: false },
    Rule { info: ignored_error::IgnoredError::INFO, check: ignored_error::check, tests: false },
    Rule { info: error_compared_by_value::ErrorComparedByValue::INFO, check: error_compared_by_value::check, tests: false },
    Rule { info: cancel_not_called::CancelNotCalled::INFO, check: cancel_not_called::check, tests: false },
    Rule { info: lock_without_unlock::LockWithoutUnlock::INFO, check: lock_without_unlock::check, tests: true },
    Rule { info: double_lock::DoubleLock::INFO, check: double_lock::check, tests: true },
    Rule { info: waitgroup_add_in_goroutine::WaitGroupAddInGoroutine::INFO, check: waitgroup_add_in_goroutine::check, tests: true },
    Rule { info: waitgroup_wait_in_loop::WaitGroupWaitInLoop::INFO, check: waitgroup_wait_in_loop::check, tests: false },
    Rule { info: loop_variable_capture::LoopVariableCapture::INFO, check: loop_variable_capture::check, tests: true },
    Rule { info: time_after_in_loop::TimeAfterInLoop::INFO, check: time_after_in_loop::check, tests: false },
    Rule { info: defer_in_loop::DeferInLoop::INFO, check: defer_in_loop::check, tests: false },
    Rule { info: busy_loop::BusyLoop::INFO, check: busy_loop::check, tests: false },
    Rule { info: channel_closed_by_receiver::ChannelClosedByReceiver::INFO, check: channel_closed_by_receiver::check, tests: false },
    Rule { info: package_without_test::PackageWithoutTest::INFO, check: package_without_test::check, tests: false },
    Rule { info: lock_order_inversion::LockOrderInversion::INFO, check: lock_order_inversion::check, tests: true },
    Rule { info: blocked_while_locked::BlockedWhileLocked::INFO, check: blocked_while_locked::check, tests: true },
    Rule { info: timer_drain_after_receive::TimerDrainAfterReceive::INFO, check: timer_drain_after_receive::check, tests: true },
    Rule { info: send_after_receiver_gone::SendAfterReceiverGone::INFO, check: send_after_receiver_gone::check, tests: false },
];
