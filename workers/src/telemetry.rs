//! Tracing and Prometheus metrics.

use anyhow::Context as _;

/// Install the tracing subscriber (`RUST_LOG` filter, default `info` for Lattice crates and
/// `error` for the embedded runtime, which is very chatty at lower levels).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("error,lattice_workers=info,lattice_migrations=info")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Start the Prometheus exporter on `addr` (`host:port`); an empty address disables it.
pub fn init_metrics(addr: &str) -> anyhow::Result<()> {
    if addr.is_empty() {
        return Ok(());
    }
    let socket: std::net::SocketAddr = addr
        .parse()
        .with_context(|| format!("metrics address {addr:?}"))?;
    metrics_exporter_prometheus::PrometheusBuilder::new()
        .with_http_listener(socket)
        .install()
        .context("starting the Prometheus exporter")?;
    tracing::info!(%socket, "Prometheus metrics exporter listening");
    Ok(())
}
