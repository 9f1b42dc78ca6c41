//! Managed tasks with ordered shutdown.
//!
//! Each task gets a child of one cancellation token. The manager stops every task on Ctrl-C /
//! SIGTERM or on the first task failure, cancelling them in reverse start order so that sinks
//! (started first) drain last.

use std::future::Future;
use tokio::{sync::mpsc, task::JoinHandle};
use tokio_util::sync::CancellationToken;

type Done = (String, anyhow::Result<()>);

/// A set of named tasks.
pub struct TaskManager {
    tasks: Vec<(String, CancellationToken, JoinHandle<()>)>,
    done_tx: mpsc::UnboundedSender<Done>,
    done_rx: mpsc::UnboundedReceiver<Done>,
}

impl Default for TaskManager {
    fn default() -> Self {
        let (done_tx, done_rx) = mpsc::unbounded_channel();
        Self {
            tasks: Vec::new(),
            done_tx,
            done_rx,
        }
    }
}

impl TaskManager {
    /// An empty manager.
    pub fn new() -> Self {
        Self::default()
    }

    /// Start `make(token)` as task `name`.
    pub fn spawn<F, Fut>(&mut self, name: &str, make: F)
    where
        F: FnOnce(CancellationToken) -> Fut,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let token = CancellationToken::new();
        let fut = make(token.clone());
        let tx = self.done_tx.clone();
        let task_name = name.to_string();
        let handle = tokio::spawn(async move {
            let result = fut.await;
            let _ = tx.send((task_name, result));
        });
        self.tasks.push((name.to_string(), token, handle));
    }

    /// Run until `stop` fires (pass [`shutdown_signal`] for a daemon) or a task ends; then stop
    /// all tasks in reverse start order. Returns the first task error.
    pub async fn run(mut self, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
        let mut first_error = None;
        if !self.tasks.is_empty() {
            tokio::select! {
                _ = stop => tracing::info!("shutdown requested"),
                Some((name, result)) = self.done_rx.recv() => match result {
                    Ok(()) => tracing::info!(task = %name, "task finished; stopping all"),
                    Err(e) => {
                        tracing::error!(task = %name, error = %e, "task failed; stopping all");
                        first_error = Some(e);
                    }
                },
            }
        }
        for (name, token, handle) in self.tasks.into_iter().rev() {
            token.cancel();
            if let Err(e) = handle.await {
                first_error.get_or_insert_with(|| e.into());
            }
            tracing::debug!(task = %name, "stopped");
        }
        drop(self.done_tx);
        while let Some((_, result)) = self.done_rx.recv().await {
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn stops_all_in_reverse_order_on_first_failure() {
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tm = TaskManager::new();
        for name in ["sink", "worker"] {
            let order = order.clone();
            tm.spawn(name, move |token| async move {
                token.cancelled().await;
                order.lock().unwrap().push(name);
                Ok(())
            });
        }
        tm.spawn("failing", |_| async { anyhow::bail!("boom") });
        let err = tm.run(std::future::pending()).await.unwrap_err();
        assert_eq!(err.to_string(), "boom");
        assert_eq!(*order.lock().unwrap(), vec!["worker", "sink"]);
    }

    #[tokio::test]
    async fn stop_signal_cancels_everything() {
        let mut tm = TaskManager::new();
        tm.spawn("idle", |token| async move {
            token.cancelled().await;
            Ok(())
        });
        tm.run(async {}).await.unwrap();
    }
}
