//! A dudect-style timing-leak detector: does an operation take measurably
//! different time for two classes of input?
//!
//! [`compare`] measures the operation on two inputs (*class A* and *class
//! B*) many times, **interleaved in random order** (a CSPRNG bit per
//! measurement, so drift, frequency scaling and other load on the machine
//! fall on both classes alike), each input first copied into one scratch
//! value so both classes run at the same addresses. Every measurement times
//! a batch of calls with the monotonic clock. The samples are then
//! **cropped** at a series of percentiles (dudect's `1 − 0.5^(10(k+1)/K)`,
//! which drops the long upper tail of preemptions and interrupts), and
//! **Welch's t-test** compares the two classes for the uncropped set and
//! every crop; the largest |t| is reported.
//!
//! Under "no leak" the classes have the same distribution and each t is
//! approximately standard normal, so |t| beyond [`LEAK_T`] (10, dudect's
//! "definitely not constant time") is out of reach of chance — about
//! 10⁻²³ per test, 12 tests — however noisy the machine: noise widens the
//! spread of both classes, it does not separate their means. A real leak
//! makes |t| grow with the square root of the number of measurements, so
//! the sample size is what makes a small leak visible.

use std::hint::black_box;
use std::time::Instant;

use super::token;

/// |t| above which [`Report::leak`] is set (dudect's threshold).
pub const LEAK_T: f64 = 10.0;
/// Percentile crops tried besides the uncropped set.
pub const CROPS: usize = 11;

/// Which input a measurement used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// The first input.
    A,
    /// The second input.
    B,
}

/// The result of [`compare`].
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Measurements taken (both classes).
    pub measurements: usize,
    /// Of which class A.
    pub class_a: usize,
    /// Calls per measurement.
    pub batch: usize,
    /// The largest |t| over the uncropped set and every crop.
    pub t: f64,
    /// The crop percentile that gave it (1.0: uncropped).
    pub crop: f64,
    /// Mean nanoseconds per call, class A and class B (uncropped).
    pub mean_ns: (f64, f64),
    /// Median nanoseconds per call, class A and class B.
    pub median_ns: (f64, f64),
    /// `t > LEAK_T`: the two classes take different time.
    pub leak: bool,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "|t| = {:.2} (crop {:.3}) over {} measurements of {} calls ({} class A); median {:.1} ns vs {:.1} ns per call: {}",
            self.t,
            self.crop,
            self.measurements,
            self.batch,
            self.class_a,
            self.median_ns.0,
            self.median_ns.1,
            if self.leak { "LEAK (timing depends on the class)" } else { "no leak detected" }
        )
    }
}

/// Welch's t statistic of two samples (0 when either has fewer than two
/// values or there is no variance).
pub fn welch_t(a: &[f64], b: &[f64]) -> f64 {
    fn mean_var(x: &[f64]) -> (f64, f64) {
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0);
        (m, v)
    }
    if a.len() < 2 || b.len() < 2 {
        return 0.0;
    }
    let (ma, va) = mean_var(a);
    let (mb, vb) = mean_var(b);
    let se = (va / a.len() as f64 + vb / b.len() as f64).sqrt();
    if se == 0.0 {
        0.0
    } else {
        (ma - mb) / se
    }
}

/// Measure `op` on `class_a` and `class_b`, `measurements` times in all in
/// random order, each measurement timing `batch` calls, and test whether
/// the classes differ. `op` should do exactly the work under test.
pub fn compare<T: Clone>(
    class_a: &T,
    class_b: &T,
    measurements: usize,
    batch: usize,
    mut op: impl FnMut(&T),
) -> Report {
    let batch = batch.max(1);
    let mut classes = vec![0u8; measurements.div_ceil(8)];
    if token::random(&mut classes).is_err() {
        // No CSPRNG: alternate (still interleaved, not randomized).
        classes.iter_mut().for_each(|b| *b = 0b0101_0101);
    }
    let mut scratch = class_a.clone();
    let mut samples: Vec<(Class, f64)> = Vec::with_capacity(measurements);
    // Warm-up: caches, branch predictors, lazy initialisation.
    for _ in 0..batch.max(16) {
        op(black_box(&scratch));
    }
    for i in 0..measurements {
        let class = if classes[i / 8] >> (i % 8) & 1 == 0 {
            Class::A
        } else {
            Class::B
        };
        scratch.clone_from(if class == Class::A { class_a } else { class_b });
        let input = black_box(&scratch);
        let start = Instant::now();
        for _ in 0..batch {
            op(input);
        }
        let ns = start.elapsed().as_nanos() as f64;
        samples.push((class, ns));
    }
    analyze(&samples, batch)
}

/// Crop and test measured samples (nanoseconds per measurement).
pub fn analyze(samples: &[(Class, f64)], batch: usize) -> Report {
    let mut sorted: Vec<f64> = samples.iter().map(|s| s.1).collect();
    sorted.sort_by(f64::total_cmp);
    let split = |limit: f64| -> (Vec<f64>, Vec<f64>) {
        let mut a = Vec::new();
        let mut b = Vec::new();
        for &(c, v) in samples.iter().filter(|s| s.1 <= limit) {
            if c == Class::A {
                a.push(v)
            } else {
                b.push(v)
            }
        }
        (a, b)
    };
    let (all_a, all_b) = split(f64::INFINITY);
    let mut best = (welch_t(&all_a, &all_b).abs(), 1.0);
    for k in 0..CROPS {
        let p = 1.0 - 0.5f64.powf(10.0 * (k as f64 + 1.0) / CROPS as f64);
        if sorted.is_empty() {
            break;
        }
        let idx = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
        let (a, b) = split(sorted[idx]);
        let t = welch_t(&a, &b).abs();
        if t > best.0 {
            best = (t, p);
        }
    }
    let mean = |x: &[f64]| {
        if x.is_empty() {
            0.0
        } else {
            x.iter().sum::<f64>() / x.len() as f64 / batch as f64
        }
    };
    let median = |x: &[f64]| {
        let mut v = x.to_vec();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).map_or(0.0, |m| m / batch as f64)
    };
    Report {
        measurements: samples.len(),
        class_a: all_a.len(),
        batch,
        t: best.0,
        crop: best.1,
        mean_ns: (mean(&all_a), mean(&all_b)),
        median_ns: (median(&all_a), median(&all_b)),
        leak: best.0 > LEAK_T,
    }
}
