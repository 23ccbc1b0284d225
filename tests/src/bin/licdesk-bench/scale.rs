//! The history plot's axes: logarithmic scales over whole decades, and their tick labels.

use crate::table::number;

/// A logarithmic scale over whole decades, 10^low to 10^high, onto the pixels `from` to `to`
/// (`to` may be less than `from`: the y axis grows upwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct LogScale {
    low: i32,
    high: i32,
    from: f64,
    to: f64,
}

impl LogScale {
    /// The smallest whole decades holding every positive value and at least 10^low to 10^high
    /// of `at_least` (so that a plot without data, or with one value, still has axes).
    pub(crate) fn covering(
        values: impl IntoIterator<Item = f64>,
        at_least: (i32, i32),
        from: f64,
        to: f64,
    ) -> LogScale {
        let (mut low, mut high) = at_least;
        for v in values.into_iter().filter(|v| *v > 0.0 && v.is_finite()) {
            low = low.min(v.log10().floor() as i32);
            high = high.max(v.log10().ceil() as i32);
        }
        LogScale {
            low,
            high: high.max(low + 1),
            from,
            to,
        }
    }

    /// Where `v` falls, in pixels.
    pub(crate) fn at(&self, v: f64) -> f64 {
        let share = (v.log10() - f64::from(self.low)) / f64::from(self.high - self.low);
        self.from + share * (self.to - self.from)
    }

    /// The powers of ten from 10^low to 10^high: the labelled ticks.
    pub(crate) fn decades(&self) -> Vec<f64> {
        (self.low..=self.high).map(|e| 10f64.powi(e)).collect()
    }

    /// 2 to 9 times each power of ten below 10^high: the unlabelled ticks between the decades.
    pub(crate) fn between(&self) -> Vec<f64> {
        (self.low..self.high)
            .flat_map(|e| (2..10).map(move |m| f64::from(m) * 10f64.powi(e)))
            .collect()
    }
}

/// A store size as the axis names it: 1k, 100k, 1M.
pub(crate) fn size_label(n: f64) -> String {
    match n {
        n if n >= 1e6 => format!("{}M", number(n / 1e6)),
        n if n >= 1e3 => format!("{}k", number(n / 1e3)),
        n => number(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_log_scale_spreads_each_decade_alike() {
        let x = LogScale::covering([], (3, 6), 100.0, 400.0);
        assert!(close(x.at(1e3), 100.0));
        assert!(close(x.at(1e4), 200.0));
        assert!(close(x.at(1e6), 400.0));
        // The middle of a decade in log terms: √10 times its start.
        assert!(close(x.at(1e4 * 10f64.sqrt()), 250.0));
    }

    #[test]
    fn a_scale_may_run_backwards_as_the_y_axis_does() {
        let y = LogScale::covering([], (-1, 2), 390.0, 60.0);
        assert!(close(y.at(0.1), 390.0));
        assert!(close(y.at(100.0), 60.0));
        assert!(y.at(1.0) > y.at(10.0), "a larger value is drawn higher");
    }

    #[test]
    fn a_scale_widens_to_whole_decades_around_its_values() {
        let y = LogScale::covering([0.04, 57.0, -1.0, 0.0, f64::NAN], (-1, 2), 0.0, 1.0);
        assert_eq!((y.low, y.high), (-2, 2));
        let y = LogScale::covering([0.5, 250.0], (-1, 2), 0.0, 1.0);
        assert_eq!((y.low, y.high), (-1, 3));
        // One value on a decade still gets a whole decade.
        let y = LogScale::covering([10.0], (1, 1), 0.0, 1.0);
        assert_eq!((y.low, y.high), (1, 2));
    }

    #[test]
    fn ticks_are_the_decades_and_the_steps_between() {
        let x = LogScale::covering([], (3, 5), 0.0, 1.0);
        assert_eq!(x.decades(), [1e3, 1e4, 1e5]);
        let between = x.between();
        assert_eq!(between.len(), 16);
        assert!(close(between[0], 2e3) && close(between[15], 9e4));
        let labels: Vec<String> = [1e3, 1e4, 1e5, 1e6, 2.5e6, 100.0].map(size_label).to_vec();
        assert_eq!(labels, ["1k", "10k", "100k", "1M", "2.5M", "100"]);
    }
}
