//! The oracle ingest on SQLite and on a real PostgreSQL: every kind of bad report gets its own
//! clear outcome and HTTP status, is counted, and loses nothing; accepted reports are archived
//! and stored exactly once, even when requests are cut off mid-way.

mod common;

use axum::http::StatusCode;
use common::*;
use lattice_poc_core::report::{self, MAX_BATCH_BYTES, MAX_BATCH_REPORTS, MAX_REPORT_BYTES};
use lattice_workers::{node::client::OracleClient, oracle::ingest::ingest_batch};

const START_MS: i64 = 1_774_800_000_000 + 600_000;

async fn suite(db_url: &str) {
    let (o, clock, dir) = oracle(db_url, START_MS).await;
    let hs = hotspot_key(1);
    register(&o, &hs);
    let hour = report::hour_of_ms(START_MS);

    // A valid report is accepted (200); sent again it is a duplicate (409), stored once.
    let r1 = witness(&hs, START_MS - 1_000, 1);
    let (st, resp) = ingest_batch(&o, &report::encode_batch(std::slice::from_ref(&r1))).await;
    assert_eq!(st, StatusCode::OK, "{resp:?}");
    assert_eq!(resp.results, ["accepted"]);
    let (st, resp) = ingest_batch(&o, &report::encode_batch(std::slice::from_ref(&r1))).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(resp.results, ["duplicate"]);

    // One batch with every kind of bad report next to a good one (422, per-report outcomes).
    let good = data(&hs, START_MS - 500, 2);
    let mut bad_sig = data(&hs, START_MS - 500, 3);
    let last = bad_sig.len() - 1;
    bad_sig[last] ^= 0x01;
    let mut tampered_body = data(&hs, START_MS - 500, 4);
    tampered_body[40] ^= 0x01;
    let stranger = hotspot_key(99);
    let unknown = data(&stranger, START_MS - 500, 5);
    let future = data(&hs, START_MS + 3_600_000, 6);
    let oversized = vec![0u8; MAX_REPORT_BYTES + 1];
    let garbage = vec![0xFFu8; 100];
    let short = vec![1u8; 10];
    let batch = vec![
        good.clone(),
        bad_sig,
        tampered_body,
        unknown,
        future,
        oversized,
        garbage,
        short,
        good.clone(),
    ];
    let (st, resp) = ingest_batch(&o, &report::encode_batch(&batch)).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        resp.results,
        [
            "accepted",
            "bad_signature",
            "bad_signature",
            "unknown_device",
            "future_timestamp",
            "oversized",
            "malformed",
            "malformed",
            "duplicate"
        ]
    );
    assert_eq!((resp.accepted, resp.duplicates, resp.rejected), (1, 1, 7));

    // A restarted oracle on the same database still knows every stored report.
    {
        let (o2, _, dir2) = oracle(db_url, START_MS).await;
        register(&o2, &hs);
        let (st, resp) =
            ingest_batch(&o2, &report::encode_batch(&[r1.clone(), good.clone()])).await;
        assert_eq!(st, StatusCode::CONFLICT, "{resp:?}");
        assert_eq!(resp.results, ["duplicate", "duplicate"]);
        let _ = std::fs::remove_dir_all(dir2);
    }

    // Bodies that are not batches.
    let (st, resp) = ingest_batch(&o, &[1, 2, 3]).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(resp.error.as_deref(), Some("bad_batch"));
    let mut hostile = (u32::try_from(MAX_BATCH_REPORTS).unwrap() + 1)
        .to_le_bytes()
        .to_vec();
    hostile.extend_from_slice(&[0u8; 16]);
    let (st, _) = ingest_batch(&o, &hostile).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);

    // Two reports stored, both archived.
    assert_eq!(o.store.report_count().await.unwrap(), 2);
    let names = o.archive.list_hour(hour).await.unwrap();
    assert_eq!(names.len(), 2, "{names:?}");
    let mut archived = Vec::new();
    for n in &names {
        archived.extend(o.archive.get_batch(n).await.unwrap());
    }
    assert!(archived.contains(&r1) && archived.contains(&good));

    // Over HTTP: same outcomes, and a body over the limit is refused with 413.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let stop = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(lattice_workers::oracle::serve(
        o.clone(),
        listener,
        stop.clone(),
    ));
    let client = OracleClient::new(&url).unwrap();
    let resp = client
        .post_reports(&[r1.clone(), data(&hs, START_MS - 100, 7)])
        .await
        .unwrap();
    assert_eq!(resp.results, ["duplicate", "accepted"]);
    let big = reqwest::Client::new()
        .post(format!("{url}/v1/reports"))
        .body(vec![0u8; MAX_BATCH_BYTES + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(big.status().as_u16(), 413);
    let stats = client.stats().await.unwrap();
    assert_eq!(stats.stored_reports, 3);
    for (outcome, n) in [
        ("accepted", 3),
        ("duplicate", 3),
        ("bad_signature", 2),
        ("unknown_device", 1),
        ("future_timestamp", 1),
        ("oversized", 1),
        ("malformed", 2),
        ("bad_batch", 2),
        ("oversized_batch", 1),
    ] {
        assert_eq!(
            stats.ingest.get(outcome).copied(),
            Some(n),
            "{outcome}: {stats:?}"
        );
    }

    // Once the hour is settled, a report for it is late (and not stored).
    clock.set_ms(lattice_math::epoch::hour_start(hour + 1) * 1_000 + 1);
    o.settle_due(hour).await.unwrap();
    let (st, resp) = ingest_batch(&o, &report::encode_batch(&[data(&hs, START_MS, 8)])).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.results, ["late"]);
    assert_eq!(o.store.report_count().await.unwrap(), 3);

    stop.cancel();
    server.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_rejects_bad_reports_clearly_on_sqlite_and_postgres() {
    for url in database_urls("ingest").await {
        suite(&url).await;
    }
}

/// Requests cut off at random points (the oracle dying mid-request, as seen by the client) lose
/// nothing and duplicate nothing: the client retries until answered, and the store ends with
/// every report exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_requests_lose_and_duplicate_nothing() {
    for url in database_urls("cancel").await {
        let (o, _clock, dir) = oracle(&url, START_MS).await;
        let hs = hotspot_key(2);
        register(&o, &hs);
        let reports: Vec<Vec<u8>> = (0..300).map(|n| data(&hs, START_MS - 10_000, n)).collect();
        let mut cut = 0;
        let mut seed = 0x9E37_79B9u64;
        for chunk in reports.chunks(30) {
            let body = report::encode_batch(chunk);
            for attempt in 0u64.. {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                // Random cut-off points; later attempts get more time so every batch lands.
                let budget = std::time::Duration::from_micros(seed % 1_500 + attempt * 1_000);
                match tokio::time::timeout(budget, ingest_batch(&o, &body)).await {
                    Ok((st, resp)) => {
                        assert!(
                            st == StatusCode::OK || st == StatusCode::CONFLICT,
                            "{resp:?}"
                        );
                        break;
                    }
                    Err(_) => cut += 1,
                }
            }
        }
        assert_eq!(o.store.report_count().await.unwrap(), 300, "{url}");
        eprintln!("{url}: {cut} requests cut off mid-way, 300 reports stored once");
        let _ = std::fs::remove_dir_all(dir);
    }
}
