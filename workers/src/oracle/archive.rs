//! The raw-report archive, through `object_store`: a local directory by default, any
//! S3-compatible store when configured (`s3://bucket/prefix`, settings from `AWS_*` variables).
//!
//! Each accepted ingest batch is one object, `reports/{hour}/{unix_ms}-{first_id}.batch`, holding
//! the batch's valid reports in the wire batch encoding, so anyone holding the archive can
//! re-verify every signature and replay every hour.

use anyhow::{Context as _, Result};
use object_store::{path::Path, ObjectStore, PutPayload};
use std::sync::Arc;

/// The archive.
#[derive(Debug, Clone)]
pub struct Archive {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl Archive {
    /// Open `url`: a directory path, `file:///dir`, or `s3://bucket[/prefix]`.
    pub fn open(url: &str) -> Result<Self> {
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let store = object_store::aws::AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .with_context(|| format!("opening archive {url}"))?;
            return Ok(Self {
                store: Arc::new(store),
                prefix: prefix.trim_matches('/').to_owned(),
            });
        }
        let dir = url.strip_prefix("file://").unwrap_or(url);
        std::fs::create_dir_all(dir).with_context(|| format!("creating archive dir {dir}"))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .with_context(|| format!("opening archive dir {dir}"))?;
        Ok(Self {
            store: Arc::new(store),
            prefix: String::new(),
        })
    }

    fn path(&self, name: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(name)
        } else {
            Path::from(format!("{}/{name}", self.prefix))
        }
    }

    /// Store one batch of wire reports received at `unix_ms` for `hour`.
    pub async fn put_batch(
        &self,
        hour: u64,
        unix_ms: i64,
        first_id: &[u8; 32],
        reports: &[Vec<u8>],
    ) -> Result<String> {
        let name = format!(
            "reports/{hour}/{unix_ms}-{}.batch",
            hex::encode(&first_id[..8])
        );
        let bytes = lattice_poc_core::report::encode_batch(reports);
        self.store
            .put(&self.path(&name), PutPayload::from(bytes))
            .await
            .with_context(|| format!("archiving {name}"))?;
        Ok(name)
    }

    /// Read back one archived batch.
    pub async fn get_batch(&self, name: &str) -> Result<Vec<Vec<u8>>> {
        let bytes = self.store.get(&self.path(name)).await?.bytes().await?;
        Ok(lattice_poc_core::report::decode_batch(&bytes)?)
    }

    /// Store the reward tree of `epoch` (`trees/{epoch:020}.tree`, so names sort by epoch).
    /// Anyone holding the archive can serve proofs from it.
    pub async fn put_tree(&self, epoch: u64, bytes: Vec<u8>) -> Result<String> {
        let name = format!("trees/{epoch:020}.tree");
        self.store
            .put(&self.path(&name), PutPayload::from(bytes))
            .await
            .with_context(|| format!("archiving {name}"))?;
        Ok(name)
    }

    /// The archived reward tree with the highest epoch, if any.
    pub async fn latest_tree(&self) -> Result<Option<Vec<u8>>> {
        use futures_util::TryStreamExt as _;
        let prefix = self.path("trees");
        let metas: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        let Some(latest) = metas.into_iter().map(|m| m.location).max() else {
            return Ok(None);
        };
        let bytes = self.store.get(&latest).await?.bytes().await?;
        Ok(Some(bytes.to_vec()))
    }

    /// Names of the batches archived for `hour`.
    pub async fn list_hour(&self, hour: u64) -> Result<Vec<String>> {
        use futures_util::TryStreamExt as _;
        let prefix = self.path(&format!("reports/{hour}"));
        let metas: Vec<_> = self.store.list(Some(&prefix)).try_collect().await?;
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let mut names: Vec<String> = metas
            .into_iter()
            .map(|m| {
                let s = m.location.to_string();
                s.strip_prefix(&strip).map_or(s.clone(), str::to_owned)
            })
            .collect();
        names.sort();
        Ok(names)
    }
}
