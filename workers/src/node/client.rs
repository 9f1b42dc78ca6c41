//! The oracle's HTTP API, client side.

use crate::oracle::{
    api::{EntropyResponse, RewardsResponse, StatsResponse},
    ingest::IngestResponse,
};
use anyhow::{anyhow, Context as _, Result};
use std::time::Duration;

/// An oracle client.
#[derive(Debug, Clone)]
pub struct OracleClient {
    http: reqwest::Client,
    base: String,
}

impl OracleClient {
    /// A client for `base` (e.g. `http://127.0.0.1:8920`).
    pub fn new(base: &str) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
        })
    }

    /// `GET {base}{path}` as JSON (an HTTP error status is an error).
    async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// The latest entropy.
    pub async fn entropy(&self) -> Result<[u8; 32]> {
        let r: EntropyResponse = self.get_json("/v1/entropy").await?;
        let bytes = hex::decode(&r.entropy).context("entropy hex")?;
        <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| anyhow!("entropy is not 32 bytes"))
    }

    /// Post a batch of wire reports; the oracle's per-report answer. Errors when the oracle did
    /// not answer per report (unreachable, 5xx, refused batch): nothing was acknowledged.
    pub async fn post_reports(&self, wires: &[Vec<u8>]) -> Result<IngestResponse> {
        let body = lattice_poc_core::report::encode_batch(wires);
        let resp = self
            .http
            .post(format!("{}/v1/reports", self.base))
            .header("content-type", "application/octet-stream")
            .body(body)
            .send()
            .await?;
        let status = resp.status().as_u16();
        if !matches!(status, 200 | 409 | 422) {
            let text = resp.text().await.unwrap_or_default();
            return Err(anyhow!("oracle answered {status}: {text}"));
        }
        Ok(resp.json().await?)
    }

    /// A hotspot's rewards and rejections over the last `hours`.
    pub async fn rewards(&self, device: &str, hours: u64) -> Result<RewardsResponse> {
        Ok(self
            .http
            .get(format!(
                "{}/v1/hotspots/{device}/rewards?hours={hours}",
                self.base
            ))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// A device's cumulative reward and Merkle proof in the latest tree.
    pub async fn proof(&self, device: &str) -> Result<crate::oracle::api::ProofResponse> {
        self.get_json(&format!("/v1/proof/{device}")).await
    }

    /// Devices of `owner` known to the oracle.
    pub async fn devices_of(&self, owner: &str) -> Result<Vec<String>> {
        self.get_json(&format!("/v1/owners/{owner}/devices")).await
    }

    /// The oracle's stats.
    pub async fn stats(&self) -> Result<StatsResponse> {
        self.get_json("/v1/stats").await
    }
}
