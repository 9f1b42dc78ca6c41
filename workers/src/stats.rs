//! The economics dashboard (`lattice stats`): each hour's health metrics, read from the per-hour
//! records the programs keep on chain, so any transport (RPC or the embedded bank) gives the same
//! figures:
//!
//! | record | program | gives |
//! |---|---|---|
//! | `DaoEpoch` | DAO | main tokens emitted; active devices per sub-DAO (the A input) |
//! | `SubDaoEpoch` | DAO | DC burned per sub-DAO; main tokens staked (recorded with V) |
//! | `DcHour` | data credits | main tokens burned for DC; the hour's oracle price |
//! | `ComputeHour` | compute | GPU seconds billed by finalized jobs |
//!
//! Metrics per hour: emitted vs burned and the net supply change, the burn-to-emission ratio,
//! revenue (DC burned, in USD) against incentives (emissions at the oracle price), GPU
//! utilization (busy GPU seconds over the compute sub-DAO's active nodes × 3600), active devices
//! and DC share per sub-DAO, and the staking ratio (staked over supply).

use anyhow::{Context as _, Result};
use lattice_compute::{ComputeConfig, ComputeHour};
use lattice_dao::{DaoEpoch, SubDaoEpoch};
use lattice_data_credits::{DataCredits, DcHour};
use lattice_math::epoch::hour_of;
use lattice_sdk::{
    accounts::{decode, fetch, mint_supply, DaoView},
    solana::Pubkey,
    Chain,
};
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

/// Accounts read per `getMultipleAccounts` call (the RPC limit is 100).
const BATCH: usize = 100;
/// Seconds in an hour.
const HOUR_SECS: f64 = 3_600.0;

/// One sub-DAO in one hour.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SubDaoStats {
    /// DC burned for usage.
    pub dc_burned: u64,
    /// Active devices when the hour was issued (`None` before issuance).
    pub active_devices: Option<u64>,
    /// Share of the hour's DC burn (0..=1; 0 when nothing was burned).
    pub dc_share: f64,
}

/// One hour's metrics.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HourStats {
    /// The hour (`unix_timestamp / 3600`).
    pub hour: u64,
    /// True once the hour was issued.
    pub issued: bool,
    /// Main-token base units emitted.
    pub main_emitted: u64,
    /// Main-token base units burned for DC.
    pub main_burned: u64,
    /// `main_emitted − main_burned` (base units; negative when burns exceed emissions).
    pub net_supply_change: i128,
    /// `main_burned / main_emitted` (`None` with nothing emitted).
    pub burn_to_emission: Option<f64>,
    /// DC minted.
    pub dc_minted: u64,
    /// USD per whole main token: the hour's last mint price, else the nearest earlier (or, at the
    /// start of the window, later) one.
    pub price_usd: Option<f64>,
    /// Revenue: DC burned for usage, in USD.
    pub revenue_usd: f64,
    /// Incentives: emissions valued at `price_usd`.
    pub incentives_usd: Option<f64>,
    /// GPU seconds billed by jobs finalized in the hour.
    pub gpu_busy_secs: u64,
    /// Busy GPU-hours over available node-hours (`None` without GPU nodes or a compute market).
    pub gpu_utilization: Option<f64>,
    /// Main-token base units locked in governance (`None` before any V was recorded).
    pub staked: Option<u64>,
    /// Main-token supply at the end of the hour (reconstructed from today's supply).
    pub supply: u64,
    /// `staked / supply`.
    pub staking_ratio: Option<f64>,
    /// Per sub-DAO, in DAO order.
    pub sub_daos: Vec<SubDaoStats>,
}

/// The dashboard: a window of hours and what is needed to print them.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Main-token decimals.
    pub decimals: u8,
    /// Sub-DAO names, in DAO order.
    pub sub_dao_names: Vec<String>,
    /// The hours, oldest first.
    pub hours: Vec<HourStats>,
}

fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

/// Read the last `hours` complete hours (the chain clock's hour excluded) of the DAO of
/// `main_mint`.
pub async fn collect<C: Chain>(chain: &C, main_mint: &Pubkey, hours: u64) -> Result<Stats> {
    let now_hour = hour_of(chain.unix_timestamp().await?);
    collect_range(chain, main_mint, now_hour.saturating_sub(hours), now_hour).await
}

/// Read hours `first..end` of the DAO of `main_mint`. The supply of each hour is today's supply
/// minus what was emitted and burned after it, so `end` should be the chain clock's hour.
pub async fn collect_range<C: Chain>(
    chain: &C,
    main_mint: &Pubkey,
    first: u64,
    end: u64,
) -> Result<Stats> {
    let view = DaoView::load(chain, main_mint)
        .await
        .context("loading the DAO")?;
    let dao = view.address;
    let mint = chain
        .get_account(main_mint)
        .await?
        .context("main mint not found")?;
    let supply_now = mint_supply(&mint.data)?;
    let decimals = *mint.data.get(44).context("main mint too short")?;
    let dc: DataCredits = fetch(chain, &lattice_sdk::dc::data_credits(&dao))
        .await?
        .context("data credits not initialized")?;
    let compute: Option<ComputeConfig> =
        fetch(chain, &lattice_sdk::compute::compute_config(&dao)).await?;
    let config_key = lattice_sdk::compute::compute_config(&dao);
    let compute_index = compute.as_ref().and_then(|c| {
        view.sub_daos
            .iter()
            .position(|(k, _)| *k == c.compute_sub_dao)
    });

    let hours: Vec<u64> = (first..end).collect();
    let n_sub = view.sub_daos.len();
    // Per hour: DaoEpoch, DcHour, ComputeHour, then each sub-DAO's SubDaoEpoch.
    let stride = 3 + n_sub;
    let mut keys = Vec::with_capacity(hours.len() * stride);
    for &h in &hours {
        keys.push(lattice_sdk::pda::dao_epoch(&dao, h));
        keys.push(lattice_sdk::dc::dc_hour(&dao, h));
        keys.push(lattice_sdk::compute::compute_hour(&config_key, h));
        for (sub, _) in &view.sub_daos {
            keys.push(lattice_sdk::pda::sub_dao_epoch(sub, h));
        }
    }
    let mut accounts = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(BATCH) {
        accounts.extend(chain.get_multiple_accounts(chunk).await?);
    }
    let read = |i: usize| accounts.get(i).and_then(|a| a.as_ref());

    let dc_usd = dc.dc_price_nano_usd as f64 / 1e9;
    let unit = 10f64.powi(i32::from(decimals));
    let mut rows = Vec::with_capacity(hours.len());
    for (i, &hour) in hours.iter().enumerate() {
        let base = i * stride;
        let epoch = read(base)
            .map(|a| decode::<DaoEpoch>(&a.data))
            .transpose()?;
        let mints = read(base + 1)
            .map(|a| decode::<DcHour>(&a.data))
            .transpose()?;
        let work = read(base + 2)
            .map(|a| decode::<ComputeHour>(&a.data))
            .transpose()?;
        let mut subs = Vec::with_capacity(n_sub);
        let mut staked = None;
        for (j, (sub, _)) in view.sub_daos.iter().enumerate() {
            let record = read(base + 3 + j)
                .map(|a| decode::<SubDaoEpoch>(&a.data))
                .transpose()?;
            if let Some(r) = record.as_ref().filter(|r| r.ve_recorded) {
                staked = Some(staked.unwrap_or(0).max(r.staked));
            }
            let part = epoch
                .as_ref()
                .and_then(|e| e.parts.iter().find(|p| p.sub_dao == *sub));
            subs.push(SubDaoStats {
                dc_burned: record.map_or(0, |r| r.dc_burned),
                active_devices: part.map(|p| p.active_devices),
                dc_share: 0.0,
            });
        }
        let total_dc: u64 = subs.iter().map(|s| s.dc_burned).sum();
        for s in &mut subs {
            s.dc_share = ratio(s.dc_burned as f64, total_dc as f64).unwrap_or(0.0);
        }
        let main_emitted = epoch.as_ref().map_or(0, |e| e.main_emitted);
        let main_burned = mints.as_ref().map_or(0, |m| m.main_burned);
        let price_usd = mints
            .as_ref()
            .filter(|m| m.mints > 0)
            .map(|m| m.price as f64 * 10f64.powi(m.price_exponent));
        let gpu_busy_secs = work.as_ref().map_or(0, |w| w.busy_secs);
        let gpu_nodes = compute_index
            .and_then(|k| subs.get(k))
            .and_then(|s| s.active_devices);
        rows.push(HourStats {
            hour,
            issued: epoch.as_ref().is_some_and(|e| e.issued),
            main_emitted,
            main_burned,
            net_supply_change: i128::from(main_emitted) - i128::from(main_burned),
            burn_to_emission: ratio(main_burned as f64, main_emitted as f64),
            dc_minted: mints.as_ref().map_or(0, |m| m.dc_minted),
            price_usd,
            revenue_usd: total_dc as f64 * dc_usd,
            incentives_usd: None,
            gpu_busy_secs,
            gpu_utilization: compute
                .as_ref()
                .and(gpu_nodes)
                .and_then(|nodes| ratio(gpu_busy_secs as f64, nodes as f64 * HOUR_SECS)),
            staked,
            supply: 0,
            staking_ratio: None,
            sub_daos: subs,
        });
    }
    fill_prices(&mut rows);
    // Supply at the end of each hour: today's, less what later hours emitted net of burns. A
    // later hour's net change is in the window (the window ends at the clock's hour); the clock's
    // own hour's burns are read too.
    let current_burn = fetch::<DcHour, _>(chain, &lattice_sdk::dc::dc_hour(&dao, end))
        .await?
        .map_or(0, |m| m.main_burned);
    let mut supply = i128::from(supply_now) + i128::from(current_burn);
    for row in rows.iter_mut().rev() {
        row.supply = u64::try_from(supply.max(0)).unwrap_or(u64::MAX);
        supply -= row.net_supply_change;
    }
    for row in &mut rows {
        row.incentives_usd = row.price_usd.map(|p| row.main_emitted as f64 / unit * p);
        row.staking_ratio = row.staked.and_then(|s| ratio(s as f64, row.supply as f64));
    }
    Ok(Stats {
        decimals,
        sub_dao_names: view.sub_daos.iter().map(|(_, s)| s.name.clone()).collect(),
        hours: rows,
    })
}

/// Hours without a mint take the price of the nearest earlier hour with one; hours before the
/// window's first mint take that first price.
fn fill_prices(rows: &mut [HourStats]) {
    let first = rows.iter().find_map(|r| r.price_usd);
    let mut last = first;
    for row in rows {
        match row.price_usd {
            Some(p) => last = Some(p),
            None => row.price_usd = last,
        }
    }
}

/// Rows of `every` hours each (sums of flows, last value of stocks, ratios of the sums).
pub fn aggregate(stats: &Stats, every: usize) -> Vec<HourStats> {
    let every = every.max(1);
    stats
        .hours
        .chunks(every)
        .map(|chunk| {
            let mut out = chunk.last().cloned().expect("chunks are not empty");
            out.hour = chunk[0].hour;
            out.issued = chunk.iter().all(|r| r.issued);
            out.main_emitted = chunk.iter().map(|r| r.main_emitted).sum();
            out.main_burned = chunk.iter().map(|r| r.main_burned).sum();
            out.dc_minted = chunk.iter().map(|r| r.dc_minted).sum();
            out.net_supply_change = chunk.iter().map(|r| r.net_supply_change).sum();
            out.burn_to_emission = ratio(out.main_burned as f64, out.main_emitted as f64);
            out.revenue_usd = chunk.iter().map(|r| r.revenue_usd).sum();
            out.incentives_usd = chunk.iter().map(|r| r.incentives_usd).sum();
            out.gpu_busy_secs = chunk.iter().map(|r| r.gpu_busy_secs).sum();
            let utils: Vec<f64> = chunk.iter().filter_map(|r| r.gpu_utilization).collect();
            out.gpu_utilization =
                (!utils.is_empty()).then(|| utils.iter().sum::<f64>() / utils.len() as f64);
            let n = out.sub_daos.len();
            let burned: Vec<u64> = (0..n)
                .map(|j| chunk.iter().map(|r| r.sub_daos[j].dc_burned).sum())
                .collect();
            let total: u64 = burned.iter().sum();
            for (s, b) in out.sub_daos.iter_mut().zip(burned) {
                s.dc_burned = b;
                s.dc_share = ratio(b as f64, total as f64).unwrap_or(0.0);
            }
            out
        })
        .collect()
}

fn tokens(base: u64, decimals: u8) -> f64 {
    base as f64 / 10f64.powi(i32::from(decimals))
}

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".into(), |v| format!("{:.1}%", v * 100.0))
}

fn usd(x: Option<f64>) -> String {
    x.map_or_else(
        || "-".into(),
        |v| {
            if v.abs() < 100.0 {
                format!("${v:.2}")
            } else {
                format!("${v:.0}")
            }
        },
    )
}

/// The table `lattice stats` prints: one row per `every` hours, then the window's totals.
pub fn render_table(stats: &Stats, every: usize) -> String {
    let rows = aggregate(stats, every);
    let d = stats.decimals;
    let mut out = String::new();
    let _ = write!(
        out,
        "{:<16} {:>12} {:>12} {:>13} {:>8} {:>10} {:>12} {:>7} {:>7}",
        "hour (UTC)",
        "emitted",
        "burned",
        "net supply",
        "burn/em",
        "revenue",
        "incentives",
        "GPU use",
        "staked"
    );
    for name in &stats.sub_dao_names {
        let _ = write!(out, " {:>14} {:>7}", format!("{name} dev"), "DC %");
    }
    out.push('\n');
    for r in &rows {
        let _ = write!(
            out,
            "{:<16} {:>12.1} {:>12.1} {:>+13.1} {:>8} {:>10} {:>12} {:>7} {:>7}",
            hour_label(r.hour),
            tokens(r.main_emitted, d),
            tokens(r.main_burned, d),
            r.net_supply_change as f64 / 10f64.powi(i32::from(d)),
            pct(r.burn_to_emission),
            usd(Some(r.revenue_usd)),
            usd(r.incentives_usd),
            pct(r.gpu_utilization),
            pct(r.staking_ratio),
        );
        for s in &r.sub_daos {
            let dev = s
                .active_devices
                .map_or_else(|| "-".into(), |a| a.to_string());
            let _ = write!(out, " {:>14} {:>7}", dev, pct(Some(s.dc_share)));
        }
        out.push('\n');
    }
    if let Some(total) = aggregate(stats, stats.hours.len().max(1)).first() {
        let _ = writeln!(
            out,
            "total {} h: emitted {:.1}, burned {:.1} (burn/emission {}), net supply {:+.1}; \
             revenue {} vs incentives {}; mean GPU utilization {}; staking ratio at the end {}",
            stats.hours.len(),
            tokens(total.main_emitted, d),
            tokens(total.main_burned, d),
            pct(total.burn_to_emission),
            total.net_supply_change as f64 / 10f64.powi(i32::from(d)),
            usd(Some(total.revenue_usd)),
            usd(total.incentives_usd),
            pct(total.gpu_utilization),
            pct(stats.hours.last().and_then(|r| r.staking_ratio)),
        );
    }
    out
}

/// `YYYY-MM-DD HH:00` of an hour number.
pub fn hour_label(hour: u64) -> String {
    let days = hour / 24;
    let (y, m, d) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!("{y:04}-{m:02}-{d:02} {:02}:00", hour % 24)
}

/// Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The chart's font, bundled so that PNG and SVG render the same on any machine (DejaVu Sans
/// Mono; license in `assets/fonts/DejaVu-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSansMono.ttf");
const FONT_NAME: &str = "lattice-sans";

/// Write the chart to `path` (`.svg` or `.png`): main tokens emitted and burned per `every`
/// hours on top, GPU utilization, burn/emission and staking ratio (%) below.
pub fn render_chart(stats: &Stats, every: usize, path: &Path) -> Result<()> {
    use plotters::prelude::*;
    static REGISTER: std::sync::Once = std::sync::Once::new();
    REGISTER.call_once(|| {
        let _ = plotters::style::register_font(FONT_NAME, FontStyle::Normal, FONT);
    });
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let size = (1200, 800);
    match ext.as_deref() {
        Some("svg") => draw(
            SVGBackend::new(path, size).into_drawing_area(),
            stats,
            every,
        ),
        Some("png") => draw(
            BitMapBackend::new(path, size).into_drawing_area(),
            stats,
            every,
        ),
        _ => anyhow::bail!("chart file must end in .svg or .png: {}", path.display()),
    }
    .with_context(|| format!("writing the chart {}", path.display()))
}

fn draw<DB: plotters::prelude::DrawingBackend>(
    root: plotters::drawing::DrawingArea<DB, plotters::coord::Shift>,
    stats: &Stats,
    every: usize,
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    use plotters::prelude::*;
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| anyhow::anyhow!("{e:?}");
    let rows = aggregate(stats, every);
    anyhow::ensure!(!rows.is_empty(), "no hours to chart");
    root.fill(&WHITE).map_err(err)?;
    let (top, bottom) = root.split_vertically(440);
    let d = stats.decimals;
    let x_max = rows.len().saturating_sub(1).max(1) as f64;
    let unit = if every == 1 {
        "hour".to_string()
    } else if every == 24 {
        "day".to_string()
    } else {
        format!("{every} h")
    };
    let emitted: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as f64, tokens(r.main_emitted, d)))
        .collect();
    let burned: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as f64, tokens(r.main_burned, d)))
        .collect();
    let y_max = emitted
        .iter()
        .chain(&burned)
        .map(|p| p.1)
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.1;
    let font = (FONT_NAME, 18).into_font();
    let small = (FONT_NAME, 14).into_font();
    let mut chart = ChartBuilder::on(&top)
        .caption(
            format!(
                "Main token emitted vs burned for DC, per {unit} ({} – {})",
                hour_label(stats.hours[0].hour),
                hour_label(stats.hours[stats.hours.len() - 1].hour)
            ),
            font.clone(),
        )
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(90)
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("{unit}s since start"))
        .y_desc("main tokens")
        .label_style(small.clone())
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(emitted, BLUE.stroke_width(2)))
        .map_err(err)?
        .label("emitted")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(burned, RED.stroke_width(2)))
        .map_err(err)?
        .label("burned for DC")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .label_font(small.clone())
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(err)?;

    let series = |f: &dyn Fn(&HourStats) -> Option<f64>| -> Vec<(f64, f64)> {
        rows.iter()
            .enumerate()
            .filter_map(|(i, r)| f(r).map(|v| (i as f64, v * 100.0)))
            .collect()
    };
    let util = series(&|r| r.gpu_utilization);
    let ratio_line = series(&|r| r.burn_to_emission);
    let staking = series(&|r| r.staking_ratio);
    let y2 = util
        .iter()
        .chain(&ratio_line)
        .chain(&staking)
        .map(|p| p.1)
        .fold(100.0f64, f64::max)
        * 1.05;
    let mut lower = ChartBuilder::on(&bottom)
        .caption("GPU utilization, burn/emission and staking ratio", font)
        .margin(15)
        .x_label_area_size(35)
        .y_label_area_size(90)
        .build_cartesian_2d(0f64..x_max, 0f64..y2)
        .map_err(err)?;
    lower
        .configure_mesh()
        .x_desc(format!("{unit}s since start"))
        .y_desc("%")
        .label_style(small.clone())
        .draw()
        .map_err(err)?;
    let green = RGBColor(0, 140, 60);
    let purple = RGBColor(120, 60, 160);
    lower
        .draw_series(LineSeries::new(util, green.stroke_width(2)))
        .map_err(err)?
        .label("GPU utilization")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], green.stroke_width(2)));
    lower
        .draw_series(LineSeries::new(ratio_line, RED.stroke_width(2)))
        .map_err(err)?
        .label("burn / emission")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED.stroke_width(2)));
    lower
        .draw_series(LineSeries::new(staking, purple.stroke_width(2)))
        .map_err(err)?
        .label("staking ratio")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], purple.stroke_width(2)));
    lower
        .configure_series_labels()
        .label_font(small)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperLeft)
        .draw()
        .map_err(err)?;
    root.present().map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(hour: u64, emitted: u64, burned: u64, price: Option<f64>) -> HourStats {
        HourStats {
            hour,
            issued: true,
            main_emitted: emitted,
            main_burned: burned,
            net_supply_change: i128::from(emitted) - i128::from(burned),
            burn_to_emission: ratio(burned as f64, emitted as f64),
            dc_minted: 0,
            price_usd: price,
            revenue_usd: 1.0,
            incentives_usd: None,
            gpu_busy_secs: 1_800,
            gpu_utilization: Some(0.5),
            staked: Some(10),
            supply: 100,
            staking_ratio: Some(0.1),
            sub_daos: vec![
                SubDaoStats {
                    dc_burned: 3,
                    active_devices: Some(4),
                    dc_share: 0.75,
                },
                SubDaoStats {
                    dc_burned: 1,
                    active_devices: Some(2),
                    dc_share: 0.25,
                },
            ],
        }
    }

    #[test]
    fn dates_and_prices() {
        assert_eq!(hour_label(0), "1970-01-01 00:00");
        // 2026-03-29 16:00 UTC = 1_774_800_000 / 3600 rounded down.
        assert_eq!(hour_label(1_774_800_000 / 3_600), "2026-03-29 16:00");
        assert_eq!(hour_label(24 * 59), "1970-03-01 00:00");
        let mut rows = vec![
            row(1, 10, 0, None),
            row(2, 10, 0, Some(2.0)),
            row(3, 10, 0, None),
            row(4, 10, 0, Some(3.0)),
        ];
        fill_prices(&mut rows);
        let prices: Vec<_> = rows.iter().map(|r| r.price_usd).collect();
        assert_eq!(prices, [Some(2.0), Some(2.0), Some(2.0), Some(3.0)]);
    }

    #[test]
    fn aggregates_flows_and_ratios() {
        let stats = Stats {
            decimals: 0,
            sub_dao_names: vec!["coverage".into(), "compute".into()],
            hours: vec![row(10, 100, 20, Some(1.0)), row(11, 100, 60, Some(1.0))],
        };
        let day = aggregate(&stats, 24);
        assert_eq!(day.len(), 1);
        let d = &day[0];
        assert_eq!((d.hour, d.main_emitted, d.main_burned), (10, 200, 80));
        assert_eq!(d.net_supply_change, 120);
        assert_eq!(d.burn_to_emission, Some(0.4));
        assert_eq!(d.sub_daos[0].dc_burned, 6);
        assert!((d.sub_daos[0].dc_share - 0.75).abs() < 1e-12);
        let table = render_table(&stats, 1);
        assert!(table.contains("coverage dev"), "{table}");
        assert!(table.contains("total 2 h"), "{table}");
    }

    #[test]
    fn charts_svg_and_png() {
        let stats = Stats {
            decimals: 6,
            sub_dao_names: vec!["coverage".into(), "compute".into()],
            hours: (0..48)
                .map(|h| row(100 + h, 5_000_000_000, h * 50_000_000, Some(2.5)))
                .collect(),
        };
        let dir = std::env::temp_dir().join(format!("lattice-stats-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["chart.svg", "chart.png"] {
            let path = dir.join(name);
            render_chart(&stats, 1, &path).unwrap();
            let len = std::fs::metadata(&path).unwrap().len();
            assert!(len > 1_000, "{name}: {len} bytes");
        }
        let png = std::fs::read(dir.join("chart.png")).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let svg = std::fs::read_to_string(dir.join("chart.svg")).unwrap();
        assert!(svg.contains("burned for DC"));
        assert!(render_chart(&stats, 1, &dir.join("chart.jpg")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
