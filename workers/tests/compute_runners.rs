//! Job runners: matmul on the CPU backend, allow-listed processes, and containers through the
//! Docker Engine API — against a fake engine speaking that API on loopback (no engine runs on
//! the CI machine), so the requests bollard sends and the answers we parse are both exercised.

use axum::{body::Body, extract::State, http::Request, response::Response, Router};
use lattice_workers::compute::runner::{connect_engine, RunError, Runners};
use lattice_workers::compute::spec::JobSpec;
use lattice_workers::compute::CpuBackend;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn runners(docker: Option<bollard::Docker>) -> Runners {
    let mut allow = BTreeMap::new();
    allow.insert("echo".to_string(), "/bin/echo".into());
    allow.insert("sleep".to_string(), "/bin/sleep".into());
    Runners::new(
        Arc::new(CpuBackend::new(1).unwrap()),
        docker,
        allow,
        1 << 20,
    )
}

#[tokio::test]
async fn matmul_result_is_c_and_its_merkle_root() {
    let spec = JobSpec::Matmul {
        n: 40,
        chain: 2,
        seed: hex::encode([9u8; 32]),
    };
    let out = runners(None)
        .run("j1", &spec, Duration::from_secs(30))
        .await
        .unwrap();
    let reference = lattice_compute_core::prove::commit(&spec.matmul_challenge().unwrap());
    assert_eq!(out.merkle_root, Some(reference.root()));
    let c: Vec<i32> = out
        .bytes
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(c, reference.matrix());
}

#[tokio::test]
async fn processes_run_only_from_the_allow_list_and_within_their_limit() {
    let r = runners(None);
    let ok = JobSpec::Process {
        program: "echo".into(),
        args: vec!["hi".into()],
    };
    let out = r.run("p1", &ok, Duration::from_secs(10)).await.unwrap();
    assert_eq!(out.bytes, b"hi\n");
    assert_eq!(out.exit_code, Some(0));
    let denied = JobSpec::Process {
        program: "rm".into(),
        args: vec!["-rf".into(), "/".into()],
    };
    assert!(matches!(
        r.run("p2", &denied, Duration::from_secs(1)).await,
        Err(RunError::Refused(_))
    ));
    let slow = JobSpec::Process {
        program: "sleep".into(),
        args: vec!["5".into()],
    };
    let t = std::time::Instant::now();
    assert!(matches!(
        r.run("p3", &slow, Duration::from_millis(200)).await,
        Err(RunError::TimedOut(_))
    ));
    assert!(t.elapsed() < Duration::from_secs(3));
    let container = JobSpec::Container {
        image: "x".into(),
        command: vec![],
        env: BTreeMap::new(),
        gpus: 1,
    };
    assert!(matches!(
        r.run("p4", &container, Duration::from_secs(1)).await,
        Err(RunError::Refused(_))
    ));
}

/// What the fake engine saw, and how it answers `wait`.
#[derive(Default)]
struct Engine {
    calls: Mutex<Vec<String>>,
    create_body: Mutex<Option<serde_json::Value>>,
    exit_code: i64,
    hang: bool,
}

fn frame(stream: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![stream, 0, 0, 0];
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    f.extend_from_slice(payload);
    f
}

async fn engine(State(e): State<Arc<Engine>>, req: Request<Body>) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    // Drop an API version prefix (`/v1.49`) if bollard sent one.
    let path = match path.strip_prefix("/v1.") {
        Some(rest) => rest
            .split_once('/')
            .map_or(path.clone(), |(_, p)| format!("/{p}")),
        None => path,
    };
    e.calls.lock().unwrap().push(format!("{method} {path}"));
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .unwrap();
    let json = |status: u16, v: serde_json::Value| {
        Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Body::from(format!("{v}\n")))
            .unwrap()
    };
    let empty = |status: u16| {
        Response::builder()
            .status(status)
            .body(Body::empty())
            .unwrap()
    };
    match (method.as_str(), path.as_str()) {
        ("POST", "/images/create") => json(200, serde_json::json!({"status": "Downloaded"})),
        ("POST", "/containers/create") => {
            *e.create_body.lock().unwrap() = Some(serde_json::from_slice(&body).unwrap());
            json(201, serde_json::json!({"Id": "c0ffee", "Warnings": []}))
        }
        ("POST", "/containers/c0ffee/start") => empty(204),
        ("POST", "/containers/c0ffee/wait") => {
            if e.hang {
                tokio::time::sleep(Duration::from_secs(30)).await;
            }
            json(200, serde_json::json!({"StatusCode": e.exit_code}))
        }
        ("GET", "/containers/c0ffee/logs") => {
            let mut b = frame(1, b"result line\n");
            b.extend(frame(2, b"progress 100%\n"));
            Response::builder()
                .status(200)
                .header("content-type", "application/vnd.docker.raw-stream")
                .body(Body::from(b))
                .unwrap()
        }
        ("POST", "/containers/c0ffee/kill") => empty(204),
        ("DELETE", "/containers/c0ffee") => empty(204),
        _ => json(404, serde_json::json!({"message": "no such route"})),
    }
}

async fn fake_engine(exit_code: i64, hang: bool) -> (Arc<Engine>, String) {
    let e = Arc::new(Engine {
        exit_code,
        hang,
        ..Default::default()
    });
    let app = Router::new().fallback(engine).with_state(e.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (e, format!("http://{addr}"))
}

fn container_spec() -> JobSpec {
    JobSpec::Container {
        image: "ghcr.io/example/train:1".into(),
        command: vec!["python".into(), "train.py".into()],
        env: [("EPOCHS".to_string(), "3".to_string())].into(),
        gpus: 1,
    }
}

#[tokio::test]
async fn container_runs_through_the_engine_api_with_a_gpu_request() {
    let (e, url) = fake_engine(0, false).await;
    let r = runners(Some(connect_engine(Some(&url)).unwrap()));
    let out = r
        .run("job-7", &container_spec(), Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(out.bytes, b"result line\n");
    assert_eq!(out.stderr, b"progress 100%\n");
    assert_eq!(out.exit_code, Some(0));
    let calls = e.calls.lock().unwrap().clone();
    assert_eq!(
        calls,
        [
            "POST /images/create",
            "POST /containers/create",
            "POST /containers/c0ffee/start",
            "POST /containers/c0ffee/wait",
            "GET /containers/c0ffee/logs",
            "DELETE /containers/c0ffee"
        ]
    );
    let body = e.create_body.lock().unwrap().clone().unwrap();
    assert_eq!(body["Image"], "ghcr.io/example/train:1");
    assert_eq!(body["Cmd"], serde_json::json!(["python", "train.py"]));
    assert_eq!(body["Env"], serde_json::json!(["EPOCHS=3"]));
    assert_eq!(body["HostConfig"]["NetworkMode"], "none");
    let dr = &body["HostConfig"]["DeviceRequests"][0];
    assert_eq!(dr["Driver"], "nvidia");
    assert_eq!(dr["Count"], 1);
    assert_eq!(dr["Capabilities"], serde_json::json!([["gpu"]]));
    assert_eq!(body["Labels"]["lattice.job"], "job-7");
}

#[tokio::test]
async fn a_failing_container_reports_its_exit_code() {
    let (_e, url) = fake_engine(3, false).await;
    let r = runners(Some(connect_engine(Some(&url)).unwrap()));
    let out = r
        .run("job-8", &container_spec(), Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(out.exit_code, Some(3));
}

#[tokio::test]
async fn a_container_past_its_limit_is_killed_and_removed() {
    let (e, url) = fake_engine(0, true).await;
    let r = runners(Some(connect_engine(Some(&url)).unwrap()));
    let res = r
        .run("job-9", &container_spec(), Duration::from_millis(300))
        .await;
    assert!(matches!(res, Err(RunError::TimedOut(_))), "{res:?}");
    let calls = e.calls.lock().unwrap().clone();
    assert!(
        calls.contains(&"POST /containers/c0ffee/kill".to_string()),
        "{calls:?}"
    );
    assert_eq!(calls.last().unwrap(), "DELETE /containers/c0ffee");
}
