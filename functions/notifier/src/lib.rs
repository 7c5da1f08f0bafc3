//! Messages to citizens when their dossier changes. A message is made in
//! the transaction of the change ([`tell`]) and queued in the dossier
//! database's outbox; the request that made the change sends it right after
//! its commit, and a protected sweep route (`POST /api/admin/notifications/sweep`,
//! which a Kubernetes CronJob or systemd timer calls, and the local host on an
//! interval when asked) sends whatever is still due: gateway failures back
//! off, a sender killed mid-send is taken over when its lease ends, and every
//! try carries the same idempotency key, so a gateway counts a message once.

pub mod gateway;
#[cfg(target_arch = "wasm32")]
mod send;
#[cfg(target_arch = "wasm32")]
mod tell;

#[cfg(target_arch = "wasm32")]
pub use send::{send_due, Settings, Sweep};
#[cfg(target_arch = "wasm32")]
pub use tell::{holder_link, tell, tell_report_answered};

/// How many of a dossier's messages the request that queued them sends at once.
pub const SEND_AFTER_COMMIT: u32 = 5;
