//! Answers that cost a tenth of a second to compute from the whole data —
//! the engagement figures of every organisation, ranked — kept for as long
//! as the data they were computed from is unchanged.
//!
//! Every audited write raises the database's generation (one row of
//! `data_generation`) in its own transaction, just before it commits
//! ([`crate::audit::Write::commit`]). A memoised read first reads that
//! number (one primary-key lookup), and uses a kept answer only if it was
//! computed at the same generation; seeing another number, it forgets every
//! kept answer. So a write on any server is seen by every server at its next
//! read, exactly as without the memo: the memo is no state of the server's
//! own, only a copy of what the database would answer, and any server
//! answers the same. Its size is bounded; the least recently used answer
//! goes first.
//!
//! The generation is read *before* computing, so an answer kept under
//! generation `g` is computed from data at least as new as `g`: never older
//! than its label. (A write that commits while the answer is computed raises
//! the number, and the next read computes again.)
//!
//! After restoring a backup, restart the servers: the restored database may
//! come back to a generation a running server has seen with other data.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use crate::Store;
use crate::error::{StoreError, StoreResult};

/// How many answers are kept at most (each a page of figures: a few KiB).
const CAPACITY: usize = 256;

const TABLE: &str = "data_generation";
const COLUMN: &str = "generation";

/// The kept answers, shared by every clone of one [`Store`].
#[derive(Debug, Default)]
pub(crate) struct Memo {
    inner: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    generation: i64,
    /// Counts uses, to find the least recently used answer.
    clock: u64,
    answers: HashMap<String, (u64, Arc<dyn Any + Send + Sync>)>,
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Kept")
            .field("generation", &self.generation)
            .field("answers", &self.answers.len())
            .finish_non_exhaustive()
    }
}

impl Kept {
    /// Forgets everything computed at another generation.
    fn at(&mut self, generation: i64) {
        if self.generation != generation {
            self.generation = generation;
            self.answers.clear();
        }
    }

    fn get(&mut self, key: &str) -> Option<Arc<dyn Any + Send + Sync>> {
        self.clock += 1;
        let clock = self.clock;
        self.answers.get_mut(key).map(|(used, answer)| {
            *used = clock;
            Arc::clone(answer)
        })
    }

    fn put(&mut self, key: String, answer: Arc<dyn Any + Send + Sync>) {
        if self.answers.len() >= CAPACITY && !self.answers.contains_key(&key) {
            let oldest = self
                .answers
                .iter()
                .min_by_key(|(_, (used, _))| *used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                self.answers.remove(&oldest);
            }
        }
        self.clock += 1;
        self.answers.insert(key, (self.clock, answer));
    }
}

impl Memo {
    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves nothing half-done worth
        // refusing: every change to `Kept` is one map operation.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Raises the data's generation, in the write's transaction.
pub(crate) async fn raise_generation(txn: &DatabaseTransaction) -> StoreResult<()> {
    let statement = Query::update()
        .table(TABLE)
        .value(COLUMN, Expr::col(COLUMN).add(1))
        .take();
    let result = txn.execute(&statement).await?;
    if result.rows_affected() != 1 {
        return Err(StoreError::Internal(format!(
            "the table {TABLE} holds {} rows instead of one",
            result.rows_affected()
        )));
    }
    Ok(())
}

impl Store {
    /// The data's generation now.
    pub(crate) async fn generation(&self) -> StoreResult<i64> {
        let query = Query::select().column(COLUMN).from(TABLE).take();
        let row = self
            .db
            .query_one(&query)
            .await?
            .ok_or_else(|| StoreError::Internal(format!("the table {TABLE} is empty")))?;
        Ok(row.try_get("", COLUMN)?)
    }

    /// `compute`'s answer, or the one kept under `key` if the data has not
    /// changed since it was computed. `key` must name everything the answer
    /// depends on besides the data (the function and every argument).
    pub(crate) async fn memoised<T>(
        &self,
        key: String,
        compute: impl Future<Output = StoreResult<T>>,
    ) -> StoreResult<T>
    where
        T: Clone + Send + Sync + 'static,
    {
        let generation = self.generation().await?;
        let kept = {
            let mut kept = self.memo.kept();
            kept.at(generation);
            kept.get(&key)
        };
        if let Some(answer) = kept.and_then(|answer| answer.downcast_ref::<T>().cloned()) {
            return Ok(answer);
        }
        let answer = compute.await?;
        let mut kept = self.memo.kept();
        // Kept only if no newer generation was seen meanwhile: an answer
        // must not outlive a write another read has already noticed.
        if kept.generation == generation {
            kept.put(key, Arc::new(answer.clone()));
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(value: u32) -> Arc<dyn Any + Send + Sync> {
        Arc::new(value)
    }

    fn value(kept: &mut Kept, key: &str) -> Option<u32> {
        kept.get(key)
            .and_then(|answer| answer.downcast_ref::<u32>().copied())
    }

    #[test]
    fn a_new_generation_forgets_every_answer() {
        let mut kept = Kept::default();
        kept.at(1);
        kept.put("a".into(), answer(1));
        kept.at(1);
        assert_eq!(value(&mut kept, "a"), Some(1));
        kept.at(2);
        assert_eq!(value(&mut kept, "a"), None);
    }

    #[test]
    fn the_least_recently_used_answer_goes_first() {
        let mut kept = Kept::default();
        for index in 0..CAPACITY {
            kept.put(format!("{index}"), answer(0));
        }
        // "0" is the oldest, but used now: "1" goes instead.
        assert_eq!(value(&mut kept, "0"), Some(0));
        kept.put("new".into(), answer(1));
        assert_eq!(kept.answers.len(), CAPACITY);
        assert_eq!(value(&mut kept, "0"), Some(0));
        assert_eq!(value(&mut kept, "1"), None);
        assert_eq!(value(&mut kept, "new"), Some(1));
    }
}
