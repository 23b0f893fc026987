//! CPU time and peak memory of this process, read from `/proc/self` (Linux).

use anyhow::{anyhow, Context as _, Result};

/// Clock ticks per second of `/proc/*/stat` (`USER_HZ`, fixed at 100 by the Linux ABI).
const USER_HZ: f64 = 100.0;

/// User + system CPU seconds used so far by this process.
///
/// Sums the nanosecond on-CPU time of every live thread (`/proc/self/task/*/schedstat`); the tokio workers and the
/// main thread live for the whole measurement, so nothing is lost. Falls back to `/proc/self/stat` (10 ms ticks)
/// when schedstat is not available.
pub fn cpu_seconds() -> Result<f64> {
    match schedstat_seconds() {
        Ok(s) => Ok(s),
        Err(_) => stat_seconds(),
    }
}

fn schedstat_seconds() -> Result<f64> {
    let mut total_ns: u64 = 0;
    for task in std::fs::read_dir("/proc/self/task").context("listing /proc/self/task")? {
        let path = task.context("reading /proc/self/task")?.path().join("schedstat");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            // the thread ended between listing and reading
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let ns = text.split_whitespace().next().ok_or_else(|| anyhow!("empty {}", path.display()))?;
        total_ns += ns.parse::<u64>().with_context(|| format!("{}: {ns:?}", path.display()))?;
    }
    Ok(total_ns as f64 / 1e9)
}

fn stat_seconds() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").context("reading /proc/self/stat")?;
    // the command name (field 2) may contain spaces: fields are counted after its closing parenthesis
    let rest = stat.rsplit_once(')').map(|(_, rest)| rest).ok_or_else(|| anyhow!("unexpected /proc/self/stat"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // after ')' field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12
    let ticks = |i: usize| -> Result<f64> {
        let v = fields.get(i).ok_or_else(|| anyhow!("/proc/self/stat has too few fields"))?;
        v.parse::<f64>().with_context(|| format!("/proc/self/stat field {v:?}"))
    };
    Ok((ticks(11)? + ticks(12)?) / USER_HZ)
}

/// Peak resident set size (`VmHWM`) in KiB.
pub fn peak_rss_kib() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).ok_or_else(|| anyhow!("no VmHWM line"))?;
    let kib = line.split_whitespace().nth(1).ok_or_else(|| anyhow!("empty VmHWM line"))?;
    kib.parse().with_context(|| format!("VmHWM value {kib:?}"))
}

/// Percentile `p` (0..=100) of already sorted samples; 0 when there are none.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_and_memory_are_readable_and_grow() {
        let before = cpu_seconds().unwrap_or(-1.0);
        assert!(before >= 0.0);
        assert!(stat_seconds().unwrap_or(-1.0) >= 0.0);
        let mut x = 0u64;
        for i in 0..50_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        assert!(std::hint::black_box(x) != 1);
        // 50 M multiply-adds take well over a microsecond on any machine: the counter must have moved
        assert!(cpu_seconds().unwrap_or(-1.0) > before);
        assert!(peak_rss_kib().unwrap_or(0) > 0);
    }

    #[test]
    fn percentile_picks_ranks() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(percentile(&v, 0.0), 1);
        assert_eq!(percentile(&v, 50.0), 6);
        assert_eq!(percentile(&v, 100.0), 10);
        assert_eq!(percentile(&[], 50.0), 0);
    }
}
