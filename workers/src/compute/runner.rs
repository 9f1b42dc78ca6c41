//! Job runners: `matmul` (verifiable, on the node's GEMM backend), `container` (Docker/Podman
//! Engine API through `bollard`) and `process` (operator allow-list). Every run has a time
//! limit, and its output is captured up to a bound.

use super::backend::{compute_c, Backend};
use super::spec::JobSpec;
use anyhow::{anyhow, bail, Context, Result};
use bollard::models::{ContainerCreateBody, DeviceRequest, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, CreateImageOptionsBuilder, KillContainerOptionsBuilder,
    LogsOptionsBuilder, RemoveContainerOptionsBuilder, WaitContainerOptionsBuilder,
};
use bollard::Docker;
use futures_util::StreamExt;
use lattice_compute_core::prove::Commitment;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a finished job produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobOutput {
    /// The result payload stored for the poster (`C` as little-endian int32 for `matmul`;
    /// stdout for `container`/`process`).
    pub bytes: Vec<u8>,
    /// Merkle root over the rows of `C` (`matmul` only).
    pub merkle_root: Option<[u8; 32]>,
    /// Exit status of a container or process.
    pub exit_code: Option<i64>,
    /// Captured stderr (bounded).
    pub stderr: Vec<u8>,
    /// Wall time.
    pub elapsed: Duration,
}

/// Why a run produced no result.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The time limit passed; the workload was stopped.
    #[error("time limit of {0:?} reached")]
    TimedOut(Duration),
    /// The node cannot run this kind of job (no engine, program not allow-listed, …).
    #[error("refused: {0}")]
    Refused(String),
    /// The workload failed.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// The runners of one node.
#[derive(Clone)]
pub struct Runners {
    backend: Arc<dyn Backend>,
    docker: Option<Docker>,
    allow: BTreeMap<String, PathBuf>,
    max_output: usize,
}

impl Runners {
    /// Runners on `backend`; containers through `docker` when given; processes from `allow`
    /// (name → executable); outputs truncated to `max_output` bytes.
    pub fn new(
        backend: Arc<dyn Backend>,
        docker: Option<Docker>,
        allow: BTreeMap<String, PathBuf>,
        max_output: usize,
    ) -> Self {
        Self {
            backend,
            docker,
            allow,
            max_output,
        }
    }

    /// The GEMM backend.
    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    /// Runs `spec` for at most `limit`; `job` names the container.
    ///
    /// # Errors
    /// [`RunError`].
    pub async fn run(
        &self,
        job: &str,
        spec: &JobSpec,
        limit: Duration,
    ) -> Result<JobOutput, RunError> {
        let started = Instant::now();
        let mut out = match spec {
            JobSpec::Matmul { .. } => {
                let challenge = spec.matmul_challenge()?;
                let backend = self.backend.clone();
                let work = tokio::task::spawn_blocking(move || -> Result<_> {
                    let c = compute_c(backend.as_ref(), &challenge)?;
                    let commitment = Commitment::from_matrix(challenge.n(), c)?;
                    Ok(commitment)
                });
                let commitment = tokio::time::timeout(limit, work)
                    .await
                    .map_err(|_| RunError::TimedOut(limit))?
                    .map_err(|e| anyhow!("matmul task: {e}"))??;
                JobOutput {
                    bytes: commitment
                        .matrix()
                        .iter()
                        .flat_map(|x| x.to_le_bytes())
                        .collect(),
                    merkle_root: Some(commitment.root()),
                    exit_code: None,
                    stderr: Vec::new(),
                    elapsed: Duration::ZERO,
                }
            }
            JobSpec::Container {
                image,
                command,
                env,
                gpus,
            } => {
                let docker = self
                    .docker
                    .as_ref()
                    .ok_or_else(|| RunError::Refused("no container engine configured".into()))?;
                run_container(
                    docker,
                    job,
                    image,
                    command,
                    env,
                    *gpus,
                    limit,
                    self.max_output,
                )
                .await?
            }
            JobSpec::Process { program, args } => {
                let path = self.allow.get(program).ok_or_else(|| {
                    RunError::Refused(format!("program {program:?} is not allow-listed"))
                })?;
                run_process(path, args, limit, self.max_output).await?
            }
        };
        out.elapsed = started.elapsed();
        Ok(out)
    }
}

fn truncate(mut v: Vec<u8>, max: usize) -> Vec<u8> {
    v.truncate(max);
    v
}

async fn run_process(
    path: &PathBuf,
    args: &[String],
    limit: Duration,
    max_output: usize,
) -> Result<JobOutput, RunError> {
    let child = tokio::process::Command::new(path)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {}", path.display()))?;
    // Dropping the future on timeout drops the child, which kills it (kill_on_drop).
    let output = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .map_err(|_| RunError::TimedOut(limit))?
        .context("waiting for the process")?;
    Ok(JobOutput {
        bytes: truncate(output.stdout, max_output),
        merkle_root: None,
        exit_code: output.status.code().map(i64::from),
        stderr: truncate(output.stderr, max_output),
        elapsed: Duration::ZERO,
    })
}

/// Pulls `image`, runs it with the GPU device request, waits up to `limit` (then kills it),
/// collects its logs and removes it, whatever happened.
#[allow(clippy::too_many_arguments)]
async fn run_container(
    docker: &Docker,
    job: &str,
    image: &str,
    command: &[String],
    env: &BTreeMap<String, String>,
    gpus: i64,
    limit: Duration,
    max_output: usize,
) -> Result<JobOutput, RunError> {
    let deadline = Instant::now() + limit;
    let mut pull = docker.create_image(
        Some(
            CreateImageOptionsBuilder::default()
                .from_image(image)
                .build(),
        ),
        None,
        None,
    );
    let pulling = async {
        while let Some(progress) = pull.next().await {
            progress.with_context(|| format!("pulling {image}"))?;
        }
        anyhow::Ok(())
    };
    tokio::time::timeout(limit, pulling)
        .await
        .map_err(|_| RunError::TimedOut(limit))??;

    let name = format!("lattice-job-{job}");
    let device_requests = (gpus != 0).then(|| {
        vec![DeviceRequest {
            driver: Some("nvidia".into()),
            count: Some(gpus),
            capabilities: Some(vec![vec!["gpu".into()]]),
            ..Default::default()
        }]
    });
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: (!command.is_empty()).then(|| command.to_vec()),
        env: Some(env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
        labels: Some([("lattice.job".to_string(), job.to_string())].into()),
        host_config: Some(HostConfig {
            device_requests,
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = docker
        .create_container(
            Some(CreateContainerOptionsBuilder::default().name(&name).build()),
            body,
        )
        .await
        .context("creating the container")?;
    let id = created.id;
    let result = async {
        docker
            .start_container(
                &id,
                None::<bollard::query_parameters::StartContainerOptions>,
            )
            .await
            .context("starting the container")?;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut wait = docker.wait_container(
            &id,
            Some(
                WaitContainerOptionsBuilder::default()
                    .condition("not-running")
                    .build(),
            ),
        );
        let exit = match tokio::time::timeout(remaining, wait.next()).await {
            Err(_) => {
                let _ = docker
                    .kill_container(
                        &id,
                        Some(
                            KillContainerOptionsBuilder::default()
                                .signal("KILL")
                                .build(),
                        ),
                    )
                    .await;
                return Err(RunError::TimedOut(limit));
            }
            Ok(Some(Ok(status))) => status.status_code,
            // bollard reports a nonzero exit as an error carrying the code.
            Ok(Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. }))) => code,
            Ok(Some(Err(e))) => return Err(anyhow!(e).context("waiting for the container").into()),
            Ok(None) => return Err(anyhow!("the engine closed the wait stream").into()),
        };
        let mut logs = docker.logs(
            &id,
            Some(
                LogsOptionsBuilder::default()
                    .stdout(true)
                    .stderr(true)
                    .build(),
            ),
        );
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        while let Some(chunk) = logs.next().await {
            match chunk.context("reading the logs")? {
                bollard::container::LogOutput::StdErr { message } => {
                    stderr.extend_from_slice(&message)
                }
                other => stdout.extend_from_slice(&other.into_bytes()),
            }
            if stdout.len() > max_output && stderr.len() > max_output {
                break;
            }
        }
        Ok(JobOutput {
            bytes: truncate(stdout, max_output),
            merkle_root: None,
            exit_code: Some(exit),
            stderr: truncate(stderr, max_output),
            elapsed: Duration::ZERO,
        })
    }
    .await;
    // Always clean up, also after a timeout or a failure.
    if let Err(e) = docker
        .remove_container(
            &id,
            Some(RemoveContainerOptionsBuilder::default().force(true).build()),
        )
        .await
    {
        tracing::warn!(container = %id, error = %e, "could not remove a job container");
    }
    result
}

/// Connects to the local engine (`DOCKER_HOST`, else the default socket), or to `url`
/// (`http://host:port` or `unix:///path`).
///
/// # Errors
/// An invalid address.
pub fn connect_engine(url: Option<&str>) -> Result<Docker> {
    let docker = match url {
        None => Docker::connect_with_local_defaults()?,
        Some(u) if u.starts_with("http://") => {
            Docker::connect_with_http(u, 120, bollard::API_DEFAULT_VERSION)?
        }
        Some(u) if u.starts_with("unix://") => Docker::connect_with_unix(
            u.trim_start_matches("unix://"),
            120,
            bollard::API_DEFAULT_VERSION,
        )?,
        Some(u) => bail!("unsupported engine address {u}"),
    };
    Ok(docker)
}
