//! Figures recorded per scale while the rows print, and the closing table that sets each
//! figure at every scale next to its growth from the smallest scale.

use std::sync::Mutex;

/// (figure, unit, value) recorded by the current scale's run.
static CURRENT: Mutex<Vec<(String, &'static str, f64)>> = Mutex::new(Vec::new());

/// Notes one figure of the running scale (the last value of a name wins).
pub fn record(name: impl Into<String>, unit: &'static str, value: f64) {
    let mut current = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
    let name = name.into();
    current.retain(|(n, _, _)| *n != name);
    current.push((name, unit, value));
}

/// Takes the figures the running scale recorded.
pub fn take() -> Vec<(String, &'static str, f64)> {
    std::mem::take(&mut *CURRENT.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Prints one line per figure: its value at each scale and last/first.
pub fn print(scales: &[usize], runs: &[Vec<(String, &'static str, f64)>]) {
    let Some(first) = runs.first() else { return };
    print!("\n{:<52} {:>6}", "figure (summary)", "unit");
    for scale in scales {
        print!(" {:>11}", format!("{scale}x"));
    }
    println!(" {:>8}", "growth");
    for (name, unit, _) in first {
        print!("{name:<52} {unit:>6}");
        let values: Vec<Option<f64>> = runs
            .iter()
            .map(|run| run.iter().find(|(n, _, _)| n == name).map(|(_, _, v)| *v))
            .collect();
        for value in &values {
            match value {
                Some(v) => print!(" {:>11}", format_value(*v)),
                None => print!(" {:>11}", "-"),
            }
        }
        match (
            values.first().copied().flatten(),
            values.last().copied().flatten(),
        ) {
            (Some(a), Some(b)) if values.len() > 1 && a > 0.0 => println!(" {:>7.2}x", b / a),
            _ => println!(" {:>8}", "-"),
        }
    }
}

fn format_value(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}
