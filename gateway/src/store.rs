//! Shared state: idempotency records (with their reconciliation state) and rate-limit counters.
//!
//! One trait, [`Store`], two implementations: [`EmbeddedStore`] (redb, a pure-Rust embedded
//! database in a data folder: no setup, survives restarts) and [`RedisStore`] (Redis, so several
//! gateway instances behind a load balancer share one state). [`AnyStore`] picks one at start.
//!
//! Every write that decides who sends a ticket is atomic: [`Store::insert_new`] creates a record
//! only if the key is absent, and [`Store::swap`] replaces a record only if it is still exactly
//! the version read (compare-and-swap on the stored text). Records expire after their TTL.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use redb::{Database, Durability, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};

use crate::auth::now_secs;

/// Where a request with an Idempotency-Key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    /// A gateway instance holds the lease and is talking to Hubsoft.
    Pending,
    /// Hubsoft may or may not have opened the ticket (timeout, lost connection, and reconciliation
    /// could not tell): the key stays reserved; the next request with it reconciles again.
    Unknown,
    /// The final answer is stored and replayed to every repeat.
    Done,
}

/// One idempotency record (IETF httpapi "The Idempotency-Key HTTP Header Field").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// SHA-256 (hex) of the normalised request body; a repeat with another body gets 422.
    pub fingerprint: String,
    /// Where it stands.
    pub state: RecordState,
    /// Random id of the request that holds the lease (while [`RecordState::Pending`]).
    pub owner: String,
    /// End of the lease, Unix milliseconds; a pending record past it belongs to nobody.
    pub lease_until_ms: u64,
    /// When the first POST to Hubsoft was sent, Unix seconds (the reconciliation window).
    pub sent_at: u64,
    /// How many POSTs were sent to Hubsoft under this key (at most 2).
    pub sends: u32,
    /// The stored answer's HTTP status ([`RecordState::Done`]).
    #[serde(default)]
    pub status: u16,
    /// The stored answer's JSON body ([`RecordState::Done`]).
    #[serde(default)]
    pub body: String,
}

/// A record as read, with the exact stored text used by [`Store::swap`].
#[derive(Debug, Clone)]
pub struct Versioned {
    /// The record.
    pub record: Record,
    /// The stored text (its version).
    pub raw: String,
}

/// A store failure (unreachable Redis, an I/O error of the embedded file).
#[derive(Debug, Clone)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// The operations the gateway needs from its state.
pub trait Store: Send + Sync {
    /// The record under `key`, if any and not expired.
    fn get(&self, key: &str) -> impl Future<Output = StoreResult<Option<Versioned>>> + Send;
    /// Stores `record` under `key` for `ttl` only if the key is absent; `true` when stored.
    fn insert_new(
        &self,
        key: &str,
        record: &Record,
        ttl: Duration,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Replaces the record under `key` with `new` (or deletes it when `None`) only if the stored
    /// text is still `expected_raw`; `true` when done. The TTL restarts.
    fn swap(
        &self,
        key: &str,
        expected_raw: &str,
        new: Option<&Record>,
        ttl: Duration,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Counts one event in the fixed window `bucket` (the caller puts the window's index in the
    /// name) lasting `window`; returns the count including this one.
    fn hit(&self, bucket: &str, window: Duration) -> impl Future<Output = StoreResult<u64>> + Send;
    /// Takes back one event counted by [`Store::hit`] in `bucket` (never below zero): a request
    /// that was counted but opened nothing.
    fn unhit(&self, bucket: &str) -> impl Future<Output = StoreResult<()>> + Send;
    /// Checks that the store answers.
    fn ping(&self) -> impl Future<Output = StoreResult<()>> + Send;
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn encode(record: &Record) -> String {
    serde_json::to_string(record).unwrap_or_default()
}

fn decode(raw: String) -> Option<Versioned> {
    serde_json::from_str(&raw)
        .ok()
        .map(|record| Versioned { record, raw })
}

// ---------------------------------------------------------------------------------------------
// Embedded (redb)

/// Records: key → 8 bytes of expiry (Unix ms, big endian) followed by the record's JSON text.
const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("idempotency");
/// Counters: bucket → (expiry Unix ms, count).
const COUNTERS: TableDefinition<&str, (u64, u64)> = TableDefinition::new("counters");

/// The embedded store: one redb file, `gateway.redb`, in the data folder.
///
/// Reads run on the blocking pool (redb reads never wait for writes). Writes go to one writer
/// thread that applies every write waiting at that moment in a single transaction, in arrival
/// order, and commits once (group commit): with idempotency writes in the batch the commit is
/// fsynced (immediate durability), so a restart, even a crash, loses no record that was
/// acknowledged; a batch of rate-limit counts alone is committed without fsync (a crash may
/// forget a few counts), except that at least every [`DURABLE_EVERY`] or [`DURABLE_AFTER`]
/// batches one is fsynced: redb reuses the pages a commit frees only from a durable commit on,
/// so counts alone (a flood of bad tokens) would otherwise grow the file without bound. The file
/// is compacted when the store opens. The page cache is bounded ([`EMBEDDED_CACHE_BYTES`]).
///
/// After an I/O error while writing (a full disk, say), redb refuses every further operation
/// ("Previous I/O error occurred. Please close and re-open the database."). The writer thread
/// then closes the database and opens it again (redb checks and repairs the file on open),
/// logging both at WARN; while that fails (the disk still full) each write and `/readyz` tries
/// again, so the store recovers by itself once space is freed, without a restart.
#[derive(Clone)]
pub struct EmbeddedStore {
    db: Arc<Slot>,
    writes: std::sync::mpsc::Sender<Write>,
}

/// Opens the database file (again): [`EmbeddedStore::open`]'s, or a test's with a failing
/// storage backend.
type Opener = Box<dyn Fn() -> Result<Database, redb::DatabaseError> + Send + Sync>;

/// The open database, `None` while it is being reopened, and how to open it again.
struct Slot {
    current: std::sync::RwLock<Option<Arc<Database>>>,
    opener: Opener,
}

impl Slot {
    /// The open database, or an error while it is closed for a reopen.
    fn get(&self) -> StoreResult<Arc<Database>> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .ok_or_else(|| StoreError(REOPENING.into()))
    }

    /// Closes the database (waiting up to 2 s for reads still using it) and opens it again;
    /// on failure the slot stays empty and the next write tries again.
    fn reopen(&self) -> StoreResult<Arc<Database>> {
        let old = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(mut old) = old {
            // Bounded: 400 × 5 ms. A read still holding the file past that makes the open
            // below fail (the file is locked); the next write tries again.
            for _ in 0..400 {
                match Arc::try_unwrap(old) {
                    Ok(db) => {
                        drop(db);
                        break;
                    }
                    Err(shared) => {
                        old = shared;
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
            }
        }
        let db = (self.opener)().map_err(io)?;
        ensure_tables(&db)?;
        let db = Arc::new(db);
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(db.clone());
        Ok(db)
    }

    /// [`Slot::reopen`], saying in the log whether it worked.
    fn reopen_logged(&self) -> StoreResult<Arc<Database>> {
        let reopened = self.reopen();
        match &reopened {
            Ok(_) => tracing::warn!("embedded store reopened after an I/O error"),
            Err(e) => {
                tracing::error!(error = %e, "embedded store: reopening failed (is the disk full?); the next write tries again")
            }
        }
        reopened
    }
}

/// The error of every operation while the embedded store is closed for a reopen.
const REOPENING: &str = "embedded store closed after an I/O error; reopening";

/// Creates the two tables when missing.
fn ensure_tables(db: &Database) -> StoreResult<()> {
    let txn = db.begin_write().map_err(io)?;
    txn.open_table(RECORDS).map_err(io)?;
    txn.open_table(COUNTERS).map_err(io)?;
    txn.commit().map_err(io)
}

/// Whether redb refuses every operation after an earlier I/O error (it must be reopened).
fn needs_reopen(db: &Database) -> bool {
    matches!(
        db.begin_write(),
        Err(redb::TransactionError::Storage(
            redb::StorageError::PreviousIo
        ))
    )
}

/// redb's page cache size for the embedded store, in bytes (16 MiB).
pub const EMBEDDED_CACHE_BYTES: usize = 16 << 20;
/// Most writes applied in one transaction.
const MAX_BATCH: usize = 512;
/// Longest time between two durable commits while counts alone are written.
pub const DURABLE_EVERY: Duration = Duration::from_millis(250);
/// Most batches of counts alone committed in a row without fsync.
pub const DURABLE_AFTER: u32 = 64;

/// One write for the writer thread, with where to send its result.
enum Write {
    Insert {
        key: String,
        text: String,
        ttl: Duration,
        reply: tokio::sync::oneshot::Sender<StoreResult<bool>>,
    },
    Swap {
        key: String,
        expected: String,
        new: Option<String>,
        ttl: Duration,
        reply: tokio::sync::oneshot::Sender<StoreResult<bool>>,
    },
    Hit {
        bucket: String,
        window: Duration,
        /// +1 ([`Store::hit`]) or −1 ([`Store::unhit`]).
        delta: i64,
        reply: tokio::sync::oneshot::Sender<StoreResult<u64>>,
    },
}

fn io<E: std::fmt::Display>(e: E) -> StoreError {
    StoreError(e.to_string())
}

fn pack(expires_ms: u64, text: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + text.len());
    v.extend_from_slice(&expires_ms.to_be_bytes());
    v.extend_from_slice(text.as_bytes());
    v
}

fn unpack(bytes: &[u8]) -> Option<(u64, String)> {
    let (head, text) = bytes.split_at_checked(8)?;
    let expires = u64::from_be_bytes(head.try_into().ok()?);
    Some((expires, String::from_utf8(text.to_vec()).ok()?))
}

/// The live text under `key` in the records table, if any.
fn live_text(
    t: &redb::Table<'_, &'static str, &'static [u8]>,
    key: &str,
    now: u64,
) -> StoreResult<Option<String>> {
    Ok(t.get(key)
        .map_err(io)?
        .and_then(|v| unpack(v.value()))
        .filter(|(exp, _)| *exp > now)
        .map(|(_, text)| text))
}

/// When something written at `now` (Unix milliseconds) for `span` expires; saturates, so a
/// span far beyond any use never wraps into the past.
fn expiry(now: u64, span: Duration) -> u64 {
    now.saturating_add(u64::try_from(span.as_millis()).unwrap_or(u64::MAX))
}

/// Fails every write of `batch` with `e`.
fn fail_all(batch: Vec<Write>, e: &StoreError) {
    for w in batch {
        match w {
            Write::Insert { reply, .. } | Write::Swap { reply, .. } => {
                drop(reply.send(Err(e.clone())))
            }
            Write::Hit { reply, .. } => drop(reply.send(Err(e.clone()))),
        }
    }
}

/// Creates `dir` (and its parents) when missing; a folder it creates gets mode 0700.
fn private_dir(dir: &Path) -> StoreResult<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(io)
}

/// Applies a batch in one transaction and answers every write. The commit is durable when the
/// batch holds an idempotency write or `force_durable` is set; returns whether a durable commit
/// was made, and whether the batch failed.
fn apply_batch(db: &Database, batch: Vec<Write>, force_durable: bool) -> (bool, bool) {
    enum Done {
        Flag(tokio::sync::oneshot::Sender<StoreResult<bool>>, bool),
        Count(tokio::sync::oneshot::Sender<StoreResult<u64>>, u64),
    }
    let durable = force_durable || batch.iter().any(|w| !matches!(w, Write::Hit { .. }));
    let now = now_ms();
    let run = |batch: Vec<Write>| -> Result<Vec<Done>, (StoreError, Vec<Write>)> {
        let mut txn = match db.begin_write() {
            Ok(t) => t,
            Err(e) => return Err((io(e), batch)),
        };
        if !durable {
            txn.set_durability(Durability::None);
        }
        let mut done = Vec::with_capacity(batch.len());
        let mut failed: Option<StoreError> = None;
        let mut rest: Vec<Write> = Vec::new();
        {
            let tables = txn
                .open_table(RECORDS)
                .and_then(|r| txn.open_table(COUNTERS).map(|c| (r, c)));
            let (mut records, mut counters) = match tables {
                Ok(t) => t,
                Err(e) => return Err((io(e), batch)),
            };
            for w in batch {
                if failed.is_some() {
                    rest.push(w);
                    continue;
                }
                let step: StoreResult<Done> = (|| match w {
                    Write::Insert {
                        key,
                        text,
                        ttl,
                        reply,
                    } => {
                        let absent = live_text(&records, &key, now)?.is_none();
                        if absent {
                            let packed = pack(expiry(now, ttl), &text);
                            records
                                .insert(key.as_str(), packed.as_slice())
                                .map_err(io)?;
                        }
                        Ok(Done::Flag(reply, absent))
                    }
                    Write::Swap {
                        key,
                        expected,
                        new,
                        ttl,
                        reply,
                    } => {
                        let matches =
                            live_text(&records, &key, now)?.as_deref() == Some(expected.as_str());
                        if matches {
                            match &new {
                                Some(text) => {
                                    let packed = pack(expiry(now, ttl), text);
                                    records
                                        .insert(key.as_str(), packed.as_slice())
                                        .map_err(io)?;
                                }
                                None => {
                                    records.remove(key.as_str()).map_err(io)?;
                                }
                            }
                        }
                        Ok(Done::Flag(reply, matches))
                    }
                    Write::Hit {
                        bucket,
                        window,
                        delta,
                        reply,
                    } => {
                        let current = counters
                            .get(bucket.as_str())
                            .map_err(io)?
                            .map(|v| v.value())
                            .filter(|(exp, _)| *exp > now);
                        let (exp, count) = match current {
                            Some((exp, n)) => (exp, n.saturating_add_signed(delta)),
                            None => (expiry(now, window), 0u64.saturating_add_signed(delta)),
                        };
                        counters.insert(bucket.as_str(), (exp, count)).map_err(io)?;
                        Ok(Done::Count(reply, count))
                    }
                })();
                match step {
                    Ok(d) => done.push(d),
                    Err(e) => failed = Some(e),
                }
            }
        }
        if let Some(e) = failed {
            drop(txn);
            // Nothing of this batch was committed: fail every write.
            let mut all: Vec<Write> = Vec::new();
            all.extend(rest);
            for d in done {
                match d {
                    Done::Flag(r, _) => drop(r.send(Err(e.clone()))),
                    Done::Count(r, _) => drop(r.send(Err(e.clone()))),
                }
            }
            return Err((e, all));
        }
        match txn.commit() {
            Ok(()) => Ok(done),
            Err(e) => {
                let e = io(e);
                for d in done {
                    match d {
                        Done::Flag(r, _) => drop(r.send(Err(e.clone()))),
                        Done::Count(r, _) => drop(r.send(Err(e.clone()))),
                    }
                }
                Err((e, Vec::new()))
            }
        }
    };
    let outcome = run(batch);
    let committed = outcome.is_ok();
    match outcome {
        Ok(done) => {
            for d in done {
                match d {
                    Done::Flag(r, v) => drop(r.send(Ok(v))),
                    Done::Count(r, v) => drop(r.send(Ok(v))),
                }
            }
        }
        Err((e, rest)) => fail_all(rest, &e),
    }
    (durable && committed, !committed)
}

impl EmbeddedStore {
    /// Opens (or creates) `dir/gateway.redb`, creating `dir` when missing (mode 0700: the
    /// records hold Hubsoft's answers, personal data; the file gets mode 0600), and starts the
    /// writer thread (it ends when the last clone of the store is dropped).
    pub fn open(dir: &Path) -> StoreResult<EmbeddedStore> {
        private_dir(dir)?;
        let file = dir.join("gateway.redb");
        let opener_file = file.clone();
        let store = EmbeddedStore::open_with(Box::new(move || {
            Database::builder()
                .set_cache_size(EMBEDDED_CACHE_BYTES)
                .create(&opener_file)
        }))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // A file of another owner (shared through its group) stays as it is.
            if let Err(error) =
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
            {
                tracing::warn!(%error, "could not make gateway.redb readable by its owner only");
            }
        }
        Ok(store)
    }

    /// [`EmbeddedStore::open`] with the database opened (and reopened after an I/O error) by
    /// `opener`.
    fn open_with(opener: Opener) -> StoreResult<EmbeddedStore> {
        let mut db = opener().map_err(io)?;
        // Gives back the space of pages freed before (the file never shrinks on its own).
        db.compact().map_err(io)?;
        ensure_tables(&db)?;
        let slot = Arc::new(Slot {
            current: std::sync::RwLock::new(Some(Arc::new(db))),
            opener,
        });
        let (tx, rx) = std::sync::mpsc::channel::<Write>();
        let writer_slot = slot.clone();
        std::thread::Builder::new()
            .name("gateway-store-writer".into())
            .spawn(move || {
                let mut last_durable = std::time::Instant::now();
                let mut light_commits = 0u32;
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match rx.try_recv() {
                            Ok(w) => batch.push(w),
                            Err(_) => break,
                        }
                    }
                    let db = match writer_slot.get().or_else(|_| writer_slot.reopen_logged()) {
                        Ok(db) => db,
                        Err(e) => {
                            fail_all(batch, &StoreError(format!("{REOPENING}: {e}")));
                            continue;
                        }
                    };
                    let force =
                        light_commits >= DURABLE_AFTER || last_durable.elapsed() >= DURABLE_EVERY;
                    let (durable, failed) = apply_batch(&db, batch, force);
                    if durable {
                        last_durable = std::time::Instant::now();
                        light_commits = 0;
                    } else {
                        light_commits += 1;
                    }
                    if failed && needs_reopen(&db) {
                        tracing::warn!("embedded store: an I/O error (a full disk?) left the database unusable; reopening it");
                        drop(db);
                        let _ = writer_slot.reopen_logged();
                    }
                }
            })
            .map_err(io)?;
        Ok(EmbeddedStore {
            db: slot,
            writes: tx,
        })
    }

    /// Runs a blocking read closure off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Database) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let db = match self.db.get() {
            Ok(db) => db,
            // Closed for a reopen: the writer thread reopens it before this no-op write.
            Err(_) => {
                self.touch().await?;
                self.db.get()?
            }
        };
        tokio::task::spawn_blocking(move || f(&db))
            .await
            .map_err(io)?
    }

    /// A count of nothing through the writer thread (which reopens the database first when an
    /// I/O error closed it): fails when a write would fail.
    async fn touch(&self) -> StoreResult<()> {
        self.write(|reply| Write::Hit {
            bucket: "readyz".to_owned(),
            window: Duration::from_secs(1),
            delta: 0,
            reply,
        })
        .await
        .map(drop)
    }

    /// Hands a write to the writer thread and waits for its result.
    async fn write<T>(
        &self,
        make: impl FnOnce(tokio::sync::oneshot::Sender<StoreResult<T>>) -> Write,
    ) -> StoreResult<T> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.writes
            .send(make(reply))
            .map_err(|_| StoreError("embedded store writer stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError("embedded store writer stopped".into()))?
    }

    /// Deletes expired records and counters; returns how many.
    pub async fn purge_expired(&self) -> StoreResult<usize> {
        self.blocking(|db| {
            let now = now_ms();
            let txn = db.begin_write().map_err(io)?;
            let mut n = 0;
            {
                let mut t = txn.open_table(RECORDS).map_err(io)?;
                let gone: Vec<String> = t
                    .iter()
                    .map_err(io)?
                    .filter_map(Result::ok)
                    .filter(|(_, v)| unpack(v.value()).is_none_or(|(exp, _)| exp <= now))
                    .map(|(k, _)| k.value().to_owned())
                    .collect();
                for k in &gone {
                    t.remove(k.as_str()).map_err(io)?;
                }
                n += gone.len();
                let mut c = txn.open_table(COUNTERS).map_err(io)?;
                let gone: Vec<String> = c
                    .iter()
                    .map_err(io)?
                    .filter_map(Result::ok)
                    .filter(|(_, v)| v.value().0 <= now)
                    .map(|(k, _)| k.value().to_owned())
                    .collect();
                for k in &gone {
                    c.remove(k.as_str()).map_err(io)?;
                }
                n += gone.len();
            }
            txn.commit().map_err(io)?;
            Ok(n)
        })
        .await
    }
}

impl Store for EmbeddedStore {
    async fn get(&self, key: &str) -> StoreResult<Option<Versioned>> {
        let key = key.to_owned();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(io)?;
            let t = txn.open_table(RECORDS).map_err(io)?;
            let Some(v) = t.get(key.as_str()).map_err(io)? else {
                return Ok(None);
            };
            Ok(unpack(v.value())
                .filter(|(exp, _)| *exp > now_ms())
                .and_then(|(_, text)| decode(text)))
        })
        .await
    }

    async fn insert_new(&self, key: &str, record: &Record, ttl: Duration) -> StoreResult<bool> {
        let (key, text) = (key.to_owned(), encode(record));
        self.write(|reply| Write::Insert {
            key,
            text,
            ttl,
            reply,
        })
        .await
    }

    async fn swap(
        &self,
        key: &str,
        expected_raw: &str,
        new: Option<&Record>,
        ttl: Duration,
    ) -> StoreResult<bool> {
        let (key, expected, new) = (key.to_owned(), expected_raw.to_owned(), new.map(encode));
        self.write(|reply| Write::Swap {
            key,
            expected,
            new,
            ttl,
            reply,
        })
        .await
    }

    async fn hit(&self, bucket: &str, window: Duration) -> StoreResult<u64> {
        let bucket = bucket.to_owned();
        self.write(|reply| Write::Hit {
            bucket,
            window,
            delta: 1,
            reply,
        })
        .await
    }

    async fn unhit(&self, bucket: &str) -> StoreResult<()> {
        let bucket = bucket.to_owned();
        self.write(|reply| Write::Hit {
            bucket,
            window: Duration::from_secs(3600),
            delta: -1,
            reply,
        })
        .await
        .map(drop)
    }

    /// A read, and a count of nothing through the writer thread: fails when the file cannot be
    /// read or the writer has stopped (every write would fail).
    async fn ping(&self) -> StoreResult<()> {
        self.touch().await?;
        self.blocking(|db| db.begin_read().map(|_| ()).map_err(io))
            .await
    }
}

// ---------------------------------------------------------------------------------------------
// Redis

/// Compare-and-swap of a record: `KEYS[1]`, `ARGV[1]` the expected text, `ARGV[2]` the new text
/// (empty = delete), `ARGV[3]` the TTL in ms.
const SWAP_LUA: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[2] == '' then redis.call('DEL', KEYS[1])
  else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
  return 1
end
return 0";

/// Fixed-window counter: `INCR`, and the expiry on the first hit.
const HIT_LUA: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n";

/// Takes one back from a counter of `HIT_LUA`, never below zero.
const UNHIT_LUA: &str = r"
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 0 then return redis.call('DECR', KEYS[1]) end
return 0";

/// Redis through a `redis::aio::ConnectionManager` (reconnects by itself). Keys are prefixed
/// `abrir-chamado:`; records use `SET NX PX` and a Lua compare-and-swap, counters `INCR` +
/// `PEXPIRE`.
#[derive(Clone)]
pub struct RedisStore {
    conn: redis::aio::ConnectionManager,
    swap: Arc<redis::Script>,
    hit: Arc<redis::Script>,
    unhit: Arc<redis::Script>,
}

const PREFIX: &str = "abrir-chamado:";

/// A Redis failure for the log: the error's kind, and the server's code and text when Redis
/// answered with an error (`ExtensionError OOM: command not allowed when used memory >
/// 'maxmemory'.`); they name no key or value.
fn redis_err(e: redis::RedisError) -> StoreError {
    let mut text = format!("redis: {:?}", e.kind());
    if let Some(code) = e.code() {
        text.push(' ');
        text.push_str(code);
    }
    match e.detail() {
        Some(detail) => {
            text.push_str(": ");
            text.push_str(detail);
        }
        None if e.is_io_error() => {
            text.push_str(": ");
            text.push_str(&e.to_string());
        }
        None => {}
    }
    StoreError(text)
}

/// Whether a command failed on a connection that broke (a Redis restart leaves the gateway's
/// connection stale; the connection manager reconnects for the next command), not for a time
/// limit or an answer of the server.
fn connection_broke(e: &redis::RedisError) -> bool {
    e.is_io_error() && !e.is_timeout()
}

/// How often [`RedisStore::keep_alive`] pings Redis.
pub const REDIS_KEEPALIVE: Duration = Duration::from_secs(1);

/// Largest difference between this host's clock and Redis's `TIME` before a warning: leases
/// and reconciliation windows compare times written by several gateway hosts.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// Time limit of one Redis connection attempt and of one command.
pub const REDIS_TIMEOUT: Duration = Duration::from_secs(2);

impl RedisStore {
    /// Connects to `url` (waits for the first connection, [`REDIS_TIMEOUT`] per attempt and
    /// two attempts: an unreachable server or a refused password is an error at start-up).
    /// Every command then fails after [`REDIS_TIMEOUT`] instead of waiting for a stalled
    /// server, so a Redis outage answers 503 at once rather than holding each request.
    pub async fn connect(url: &str) -> StoreResult<RedisStore> {
        let client = redis::Client::open(url).map_err(redis_err)?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(REDIS_TIMEOUT)
            .set_response_timeout(REDIS_TIMEOUT)
            .set_number_of_retries(1);
        let conn = redis::aio::ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| {
                StoreError(format!(
                    "cannot connect ({e}); check redis_url, its password and that Redis is reachable"
                ))
            })?;
        Ok(RedisStore {
            conn,
            swap: Arc::new(redis::Script::new(SWAP_LUA)),
            hit: Arc::new(redis::Script::new(HIT_LUA)),
            unhit: Arc::new(redis::Script::new(UNHIT_LUA)),
        })
    }
}

impl RedisStore {
    /// Runs `cmd`, once more when the connection broke ([`connection_broke`]): only for
    /// commands whose repetition changes nothing (reads, and writes of a fixed value), since a
    /// command that broke the connection may or may not have run.
    async fn query_retried<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> StoreResult<T> {
        let mut c = self.conn.clone();
        match cmd.query_async(&mut c).await {
            Err(e) if connection_broke(&e) => {
                tracing::debug!(error = %redis_err(e), "redis connection broke; once more");
                cmd.query_async(&mut c).await.map_err(redis_err)
            }
            other => other.map_err(redis_err),
        }
    }

    /// Pings Redis every [`REDIS_KEEPALIVE`] for as long as the process runs, so that a
    /// connection a Redis restart left stale is found and replaced by the connection manager
    /// between customers' requests, not during one.
    pub async fn keep_alive(self) {
        let mut tick = tokio::time::interval(REDIS_KEEPALIVE);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let ping = redis::cmd("PING");
            if let Err(e) = self.query_retried::<String>(&ping).await {
                tracing::debug!(error = %e, "redis keep-alive ping failed");
            }
        }
    }

    /// What in Redis's own settings can lose idempotency records, as warnings for the log:
    /// no persistence (`appendonly no` and `save ""`: a Redis restart forgets every key), or a
    /// `maxmemory-policy` that evicts keys (every key of the gateway has a TTL, so the
    /// `volatile-*` policies evict them too). A Redis that refuses `CONFIG` (managed services
    /// often do) gets a warning that this could not be checked.
    pub async fn setting_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        let mut values = std::collections::HashMap::new();
        for name in ["appendonly", "save", "maxmemory-policy"] {
            let get = redis::cmd("CONFIG").arg("GET").arg(name).clone();
            match self
                .query_retried::<std::collections::HashMap<String, String>>(&get)
                .await
            {
                Ok(map) => {
                    values.extend(map);
                }
                Err(e) => {
                    warnings.push(format!(
                        "could not check Redis persistence and maxmemory-policy (CONFIG GET refused: {e}); \
                         make sure Redis persists its data (appendonly yes or save) and uses maxmemory-policy \
                         noeviction, or idempotency records may be lost and a repeat may open a second ticket"
                    ));
                    return warnings;
                }
            }
        }
        let appendonly = values.get("appendonly").map(String::as_str);
        let save = values.get("save").map(|s| s.trim()).unwrap_or("");
        if appendonly == Some("no") && save.is_empty() {
            warnings.push(
                "Redis has no persistence (appendonly no, save \"\"): a Redis restart forgets every \
                 idempotency record, and a repeat after it may open a second ticket; set appendonly yes"
                    .to_owned(),
            );
        }
        if let Some(policy) = values.get("maxmemory-policy") {
            if policy != "noeviction" {
                warnings.push(format!(
                    "Redis maxmemory-policy is {policy}: a full Redis evicts idempotency records, and a \
                     repeat may open a second ticket; set maxmemory-policy noeviction"
                ));
            }
        }
        warnings
    }

    /// This host's clock minus Redis's (`TIME`), in milliseconds: several gateway hosts on one
    /// Redis compare times each wrote (leases, the reconciliation window).
    pub async fn clock_skew_ms(&self) -> StoreResult<i64> {
        let (secs, micros): (i64, i64) = self.query_retried(&redis::cmd("TIME")).await?;
        let redis_ms = secs * 1000 + micros / 1000;
        Ok(now_ms() as i64 - redis_ms)
    }
}

impl Store for RedisStore {
    async fn get(&self, key: &str) -> StoreResult<Option<Versioned>> {
        let get = redis::cmd("GET").arg(format!("{PREFIX}idem:{key}")).clone();
        let raw: Option<String> = self.query_retried(&get).await?;
        Ok(raw.and_then(decode))
    }

    async fn insert_new(&self, key: &str, record: &Record, ttl: Duration) -> StoreResult<bool> {
        let mut c = self.conn.clone();
        let ok: Option<String> = redis::cmd("SET")
            .arg(format!("{PREFIX}idem:{key}"))
            .arg(encode(record))
            .arg("NX")
            .arg("PX")
            .arg(ttl.as_millis() as u64)
            .query_async(&mut c)
            .await
            .map_err(redis_err)?;
        Ok(ok.is_some())
    }

    async fn swap(
        &self,
        key: &str,
        expected_raw: &str,
        new: Option<&Record>,
        ttl: Duration,
    ) -> StoreResult<bool> {
        let mut c = self.conn.clone();
        let n: i64 = self
            .swap
            .key(format!("{PREFIX}idem:{key}"))
            .arg(expected_raw)
            .arg(new.map(encode).unwrap_or_default())
            .arg(ttl.as_millis() as u64)
            .invoke_async(&mut c)
            .await
            .map_err(redis_err)?;
        Ok(n == 1)
    }

    async fn hit(&self, bucket: &str, window: Duration) -> StoreResult<u64> {
        let mut c = self.conn.clone();
        let n: u64 = self
            .hit
            .key(format!("{PREFIX}rl:{bucket}"))
            .arg(window.as_millis() as u64)
            .invoke_async(&mut c)
            .await
            .map_err(redis_err)?;
        Ok(n)
    }

    async fn unhit(&self, bucket: &str) -> StoreResult<()> {
        let mut c = self.conn.clone();
        let _: i64 = self
            .unhit
            .key(format!("{PREFIX}rl:{bucket}"))
            .invoke_async(&mut c)
            .await
            .map_err(redis_err)?;
        Ok(())
    }

    /// A write: `SET abrir-chamado:readyz 1 PX 10000` (a Redis that answers but refuses writes,
    /// `maxmemory` reached under `noeviction`, is not ready).
    async fn ping(&self) -> StoreResult<()> {
        let set = redis::cmd("SET")
            .arg(format!("{PREFIX}readyz"))
            .arg(1)
            .arg("PX")
            .arg(10_000)
            .clone();
        let _: String = self.query_retried(&set).await?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Either

/// The store chosen at start: embedded unless `REDIS_URL` is set.
#[derive(Clone)]
pub enum AnyStore {
    /// [`EmbeddedStore`].
    Embedded(EmbeddedStore),
    /// [`RedisStore`].
    Redis(RedisStore),
}

impl AnyStore {
    /// `"embedded"` or `"redis"` (for logs).
    pub fn kind(&self) -> &'static str {
        match self {
            AnyStore::Embedded(_) => "embedded",
            AnyStore::Redis(_) => "redis",
        }
    }
}

impl Store for AnyStore {
    async fn get(&self, key: &str) -> StoreResult<Option<Versioned>> {
        match self {
            AnyStore::Embedded(s) => s.get(key).await,
            AnyStore::Redis(s) => s.get(key).await,
        }
    }
    async fn insert_new(&self, key: &str, record: &Record, ttl: Duration) -> StoreResult<bool> {
        match self {
            AnyStore::Embedded(s) => s.insert_new(key, record, ttl).await,
            AnyStore::Redis(s) => s.insert_new(key, record, ttl).await,
        }
    }
    async fn swap(
        &self,
        key: &str,
        expected_raw: &str,
        new: Option<&Record>,
        ttl: Duration,
    ) -> StoreResult<bool> {
        match self {
            AnyStore::Embedded(s) => s.swap(key, expected_raw, new, ttl).await,
            AnyStore::Redis(s) => s.swap(key, expected_raw, new, ttl).await,
        }
    }
    async fn hit(&self, bucket: &str, window: Duration) -> StoreResult<u64> {
        match self {
            AnyStore::Embedded(s) => s.hit(bucket, window).await,
            AnyStore::Redis(s) => s.hit(bucket, window).await,
        }
    }
    async fn unhit(&self, bucket: &str) -> StoreResult<()> {
        match self {
            AnyStore::Embedded(s) => s.unhit(bucket).await,
            AnyStore::Redis(s) => s.unhit(bucket).await,
        }
    }
    async fn ping(&self) -> StoreResult<()> {
        match self {
            AnyStore::Embedded(s) => s.ping().await,
            AnyStore::Redis(s) => s.ping().await,
        }
    }
}

/// The index of the fixed window of `window` that contains now, and the seconds until it ends
/// (for `Retry-After`, at least 1).
pub fn window_index(window: Duration) -> (u64, u64) {
    let w = window.as_secs().max(1);
    let now = now_secs();
    (now / w, (w - now % w).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(owner: &str) -> Record {
        Record {
            fingerprint: "f".into(),
            state: RecordState::Pending,
            owner: owner.into(),
            lease_until_ms: 0,
            sent_at: 0,
            sends: 0,
            status: 0,
            body: String::new(),
        }
    }

    /// redb's own file backend, whose writes and syncs fail with ENOSPC while `full` is set.
    #[derive(Debug)]
    struct FullDisk {
        file: redb::backends::FileBackend,
        full: Arc<std::sync::atomic::AtomicBool>,
    }

    impl FullDisk {
        fn check(&self) -> std::io::Result<()> {
            if self.full.load(std::sync::atomic::Ordering::SeqCst) {
                Err(std::io::Error::from_raw_os_error(28))
            } else {
                Ok(())
            }
        }
    }

    impl redb::StorageBackend for FullDisk {
        fn len(&self) -> std::io::Result<u64> {
            self.file.len()
        }
        fn read(&self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
            self.file.read(offset, len)
        }
        fn set_len(&self, len: u64) -> std::io::Result<()> {
            self.check()?;
            self.file.set_len(len)
        }
        fn sync_data(&self, eventual: bool) -> std::io::Result<()> {
            self.check()?;
            self.file.sync_data(eventual)
        }
        fn write(&self, offset: u64, data: &[u8]) -> std::io::Result<()> {
            self.check()?;
            self.file.write(offset, data)
        }
    }

    #[tokio::test]
    async fn after_a_full_disk_the_store_reopens_itself_once_space_is_freed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gateway.redb");
        let full = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let disk = full.clone();
        let s = EmbeddedStore::open_with(Box::new(move || {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            let file = redb::backends::FileBackend::new(file)?;
            Database::builder().create_with_backend(FullDisk {
                file,
                full: disk.clone(),
            })
        }))
        .unwrap();
        let ttl = Duration::from_secs(60);
        assert!(s.insert_new("before", &rec("a"), ttl).await.unwrap());
        full.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(s.insert_new("during", &rec("b"), ttl).await.is_err());
        // Still full: every write and the readiness probe fail.
        assert!(s.insert_new("during", &rec("b"), ttl).await.is_err());
        assert!(s.ping().await.is_err());
        // Space freed: the next operations work again, without a restart, and nothing
        // acknowledged before is lost.
        full.store(false, std::sync::atomic::Ordering::SeqCst);
        s.ping().await.unwrap();
        assert!(s.insert_new("after", &rec("c"), ttl).await.unwrap());
        assert_eq!(s.get("before").await.unwrap().unwrap().record.owner, "a");
        assert_eq!(s.get("after").await.unwrap().unwrap().record.owner, "c");
        assert_eq!(s.hit("b", ttl).await.unwrap(), 1);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_data_folder_and_file_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("data");
        let _store = EmbeddedStore::open(&dir).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("gateway.redb")), 0o600);
    }

    #[tokio::test]
    async fn opening_gives_back_the_space_of_freed_pages() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gateway.redb");
        {
            // A file that once held 8 MB of records, all deleted since.
            let db = Database::create(&file).unwrap();
            let big = vec![b'x'; 4096];
            let txn = db.begin_write().unwrap();
            {
                let mut t = txn.open_table(RECORDS).unwrap();
                for i in 0..2048 {
                    t.insert(format!("k{i}").as_str(), big.as_slice()).unwrap();
                }
            }
            txn.commit().unwrap();
            let txn = db.begin_write().unwrap();
            txn.delete_table(RECORDS).unwrap();
            txn.commit().unwrap();
        }
        let before = std::fs::metadata(&file).unwrap().len();
        assert!(before > 8 << 20, "{before}");
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let after = std::fs::metadata(&file).unwrap().len();
        assert!(after < before / 4, "{before} -> {after}");
        assert!(store
            .insert_new("k", &rec("o"), Duration::from_secs(60))
            .await
            .unwrap());
    }

    #[tokio::test]
    async fn embedded_insert_swap_expire_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let s = EmbeddedStore::open(dir.path()).unwrap();
        let ttl = Duration::from_secs(60);
        assert!(s.insert_new("k", &rec("a"), ttl).await.unwrap());
        assert!(!s.insert_new("k", &rec("b"), ttl).await.unwrap());
        let v = s.get("k").await.unwrap().unwrap();
        assert_eq!(v.record.owner, "a");
        assert!(s.swap("k", &v.raw, Some(&rec("c")), ttl).await.unwrap());
        assert!(!s.swap("k", &v.raw, Some(&rec("d")), ttl).await.unwrap());
        drop(s);
        // The writer thread closes the file once it sees the store dropped.
        let mut reopened = None;
        for _ in 0..200 {
            match EmbeddedStore::open(dir.path()) {
                Ok(s) => {
                    reopened = Some(s);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
        let s = reopened.expect("the store reopens");
        assert_eq!(s.get("k").await.unwrap().unwrap().record.owner, "c");
        assert!(s
            .insert_new("short", &rec("x"), Duration::from_millis(1))
            .await
            .unwrap());
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert!(s.get("short").await.unwrap().is_none());
        assert!(s.insert_new("short", &rec("y"), ttl).await.unwrap());
        assert_eq!(s.hit("b", ttl).await.unwrap(), 1);
        assert_eq!(s.hit("b", ttl).await.unwrap(), 2);
        assert!(s.purge_expired().await.unwrap() <= 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn embedded_group_commit_keeps_one_winner_per_key() {
        let dir = tempfile::tempdir().unwrap();
        let s = EmbeddedStore::open(dir.path()).unwrap();
        let ttl = Duration::from_secs(60);
        let mut tasks = Vec::new();
        for i in 0..200 {
            let s = s.clone();
            tasks.push(tokio::spawn(async move {
                let same = s
                    .insert_new("same", &rec(&i.to_string()), ttl)
                    .await
                    .unwrap();
                let own = s
                    .insert_new(&format!("k{i}"), &rec("x"), ttl)
                    .await
                    .unwrap();
                let n = s.hit("bucket", ttl).await.unwrap();
                (same, own, n)
            }));
        }
        let mut winners = 0;
        let mut counts = Vec::new();
        for t in tasks {
            let (same, own, n) = t.await.unwrap();
            winners += usize::from(same);
            assert!(own);
            counts.push(n);
        }
        assert_eq!(winners, 1);
        counts.sort_unstable();
        assert_eq!(counts, (1..=200).collect::<Vec<u64>>());
    }
}
