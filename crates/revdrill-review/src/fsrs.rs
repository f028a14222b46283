//! FSRS-6 memory model with its published default parameters: what a review does to a card's
//! stability and difficulty, and the interval that follows.
//!
//! The formulas are those of FSRS-6 as published by the Open Spaced Repetition project ("The
//! Algorithm", <https://github.com/open-spaced-repetition/fsrs4anki/wiki/The-Algorithm>), the
//! model the `fsrs` crate (<https://crates.io/crates/fsrs>, v6) implements for Anki. That crate
//! is not a dependency: besides the scheduler it carries the optimizer and its dependencies
//! (ndarray, rayon, rand, priority-queue, ...), and revdrill only schedules with the default
//! parameters. The tests compare this module with values printed by `fsrs` 6.6.2's
//! `FSRS::new(&[])` / `next_states` (same parameters, same inputs).
//!
//! Symbols as in the paper: `w` the 21 parameters, `S` stability (days until recall falls to
//! 90 %), `D` difficulty (1-10), `R` retrievability, `G` the rating (1 Again .. 4 Easy), `t`
//! days since the last review.

use revdrill_store::Rating;

/// FSRS-6 default parameters `w0..w20` (fit on the average learner; the `fsrs` crate's
/// `DEFAULT_PARAMETERS`).
pub const DEFAULT_PARAMETERS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014,
    1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/// The probability of recall the schedule aims at when a card comes due (FSRS's usual 90 %).
pub const DESIRED_RETENTION: f64 = 0.9;

/// Stability bounds, days (as FSRS clamps them).
const S_MIN: f64 = 0.001;
const S_MAX: f64 = 36_500.0;
/// Difficulty bounds.
const D_MIN: f64 = 1.0;
const D_MAX: f64 = 10.0;

/// A card's memory: stability (days) and difficulty (1-10).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    /// Days until the probability of recall falls to 90 %.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
}

/// The FSRS-6 model with one set of parameters.
#[derive(Debug, Clone)]
pub struct Fsrs {
    w: [f64; 21],
}

impl Default for Fsrs {
    fn default() -> Self {
        Fsrs { w: DEFAULT_PARAMETERS }
    }
}

fn grade(r: Rating) -> f64 {
    r.number() as f64
}

impl Fsrs {
    /// `factor = 0.9^(-1/w20) - 1`, so that `R(S, S) = 0.9`.
    fn factor(&self) -> f64 {
        0.9f64.powf(-1.0 / self.w[20]) - 1.0
    }

    /// Retrievability after `t` days at stability `s`: `R = (1 + factor·t/S)^(-w20)`.
    pub fn retrievability(&self, t: f64, s: f64) -> f64 {
        (1.0 + self.factor() * t / s).powf(-self.w[20])
    }

    /// Days until retrievability falls to `retention`: `I = S/factor · (r^(-1/w20) - 1)`.
    pub fn interval(&self, s: f64, retention: f64) -> f64 {
        s / self.factor() * (retention.powf(-1.0 / self.w[20]) - 1.0)
    }

    /// Initial stability `S0(G) = w[G-1]`.
    fn init_stability(&self, g: Rating) -> f64 {
        self.w[(g.number() - 1) as usize]
    }

    /// Initial difficulty `D0(G) = w4 - e^(w5·(G-1)) + 1`.
    fn init_difficulty(&self, g: f64) -> f64 {
        self.w[4] - (self.w[5] * (g - 1.0)).exp() + 1.0
    }

    /// `D' = D + ΔD·(10-D)/9` with `ΔD = -w6·(G-3)`, then mean reversion towards `D0(4)` by `w7`.
    fn next_difficulty(&self, d: f64, g: Rating) -> f64 {
        let delta = -self.w[6] * (grade(g) - 3.0);
        let damped = d + delta * (10.0 - d) / 9.0;
        (self.w[7] * self.init_difficulty(4.0) + (1.0 - self.w[7]) * damped).clamp(D_MIN, D_MAX)
    }

    /// Stability after a successful review (Hard, Good, Easy):
    /// `S' = S·(e^w8 · (11-D) · S^-w9 · (e^(w10·(1-R)) - 1) · hard(w15) · easy(w16) + 1)`.
    fn stability_after_success(&self, s: f64, d: f64, r: f64, g: Rating) -> f64 {
        let w = &self.w;
        let hard = if g == Rating::Hard { w[15] } else { 1.0 };
        let easy = if g == Rating::Easy { w[16] } else { 1.0 };
        s * (w[8].exp() * (11.0 - d) * s.powf(-w[9]) * (((1.0 - r) * w[10]).exp() - 1.0) * hard * easy + 1.0)
    }

    /// Stability after a lapse (Again):
    /// `S' = min(w11 · D^-w12 · ((S+1)^w13 - 1) · e^(w14·(1-R)), S / e^(w17·w18))`.
    fn stability_after_failure(&self, s: f64, d: f64, r: f64) -> f64 {
        let w = &self.w;
        let long_term = w[11] * d.powf(-w[12]) * ((s + 1.0).powf(w[13]) - 1.0) * ((1.0 - r) * w[14]).exp();
        long_term.min(s / (w[17] * w[18]).exp())
    }

    /// Stability after a second review the same day: `S' = S · e^(w17·(G-3+w18)) · S^-w19`,
    /// never lower than `S` for a success.
    fn stability_same_day(&self, s: f64, g: Rating) -> f64 {
        let w = &self.w;
        let inc = (w[17] * (grade(g) - 3.0 + w[18])).exp() * s.powf(-w[19]);
        s * if g >= Rating::Hard { inc.max(1.0) } else { inc }
    }

    /// The memory after a review rated `g`, `days` (whole days) after the previous review of a
    /// card with memory `prev` (`None`: its first review).
    pub fn next(&self, prev: Option<Memory>, days: u32, g: Rating) -> Memory {
        let Some(m) = prev else {
            return Memory {
                stability: self.init_stability(g).clamp(S_MIN, S_MAX),
                difficulty: self.init_difficulty(grade(g)).clamp(D_MIN, D_MAX),
            };
        };
        let (s, d) = (m.stability.clamp(S_MIN, S_MAX), m.difficulty.clamp(D_MIN, D_MAX));
        let stability = if days == 0 {
            self.stability_same_day(s, g)
        } else {
            let r = self.retrievability(f64::from(days), s);
            if g == Rating::Again { self.stability_after_failure(s, d, r) } else { self.stability_after_success(s, d, r, g) }
        };
        Memory { stability: stability.clamp(S_MIN, S_MAX), difficulty: self.next_difficulty(d, g) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating::*;

    /// `(stability, difficulty)` for Again, Hard, Good, Easy, as printed by `fsrs` 6.6.2:
    /// `FSRS::new(&[]).next_states(state, 0.9, days)` (its `interval` equals the stability at
    /// 90 % retention, checked separately below).
    fn check(prev: Option<Memory>, days: u32, expect: [(f64, f64); 4]) {
        let f = Fsrs::default();
        for (g, (s, d)) in [Again, Hard, Good, Easy].into_iter().zip(expect) {
            let m = f.next(prev, days, g);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * b.abs().max(1.0);
            assert!(close(m.stability, s) && close(m.difficulty, d), "{prev:?} +{days}d {g:?}: got {m:?}, fsrs says ({s}, {d})");
        }
    }

    fn mem(stability: f64, difficulty: f64) -> Option<Memory> {
        Some(Memory { stability, difficulty })
    }

    #[test]
    fn first_review() {
        check(None, 0, [(0.212, 6.4133), (1.2931, 5.112171), (2.3065, 2.118104), (8.2956, 1.0)]);
    }

    #[test]
    fn after_a_lapse_then_success() {
        check(mem(0.212, 6.4133), 1, [(0.100886, 8.806304), (1.219218, 7.604210), (1.886788, 6.402115), (3.348711, 5.200020)]);
        check(
            mem(1.886788, 6.402115),
            2,
            [(0.505065, 8.802628), (4.522349, 7.596785), (6.269165, 6.390941), (10.094541, 5.185098)],
        );
        check(mem(1.2931, 5.112171), 1, [(0.375395, 8.378632), (3.249412, 6.740459), (4.546030, 5.102287), (7.385512, 3.464114)]);
    }

    #[test]
    fn on_time_early_and_same_day() {
        check(mem(10.0, 5.0), 10, [(1.391987, 8.341763), (23.246887, 6.665996), (32.026749, 4.990228), (51.253895, 3.314461)]);
        check(mem(10.0, 5.0), 3, [(1.258784, 8.341763), (15.038048, 6.665996), (18.377199, 4.990228), (25.689657, 3.314461)]);
        check(mem(10.0, 5.0), 0, [(3.051249, 8.341763), (10.0, 6.665996), (10.0, 4.990228), (15.534309, 3.314461)]);
    }

    #[test]
    fn at_ninety_percent_the_interval_is_the_stability() {
        let f = Fsrs::default();
        for s in [0.5, 2.3065, 31.7, 400.0] {
            assert!((f.interval(s, DESIRED_RETENTION) - s).abs() < 1e-9 * s, "{s}");
            assert!((f.retrievability(s, s) - 0.9).abs() < 1e-12);
        }
        assert!(f.interval(10.0, 0.95) < 10.0 && f.interval(10.0, 0.8) > 10.0);
    }
}
