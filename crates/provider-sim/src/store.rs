//! The stand-in's own storage (its own SQLite file: it is another company's system).

use axum::http::StatusCode;
use provider::model::{
    Correction, DataPage, DataRecord, Operation, OperationStatus, Problem, RecordKind, SubscriberId,
};
use serde_json::{Value, json};
use sqlx::{
    Row, Sqlite, SqlitePool, Transaction,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions},
};
use std::{collections::BTreeMap, str::FromStr, time::Duration};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub(crate) struct SimStore {
    pool: SqlitePool,
}

/// A changing call in progress: its transaction, and its idempotency key.
pub(crate) struct Effect {
    tx: Transaction<'static, Sqlite>,
    key: String,
}

type Answer = Result<(StatusCode, Value), sqlx::Error>;

fn kind_name(kind: RecordKind) -> Result<String, sqlx::Error> {
    match serde_json::to_value(kind) {
        Ok(Value::String(name)) => Ok(name),
        _ => Err(sqlx::Error::Protocol("record kind".into())),
    }
}

impl SimStore {
    pub(crate) async fn open(url: &str) -> Result<Self, crate::SimError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(10));
        if let Some(folder) = options.get_filename().parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    pub(crate) async fn insert_record(
        &self,
        subscriber: &str,
        ordinal: i64,
        record: &DataRecord,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO records (id, subscriber_id, kind, fields, ordinal) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(&record.id)
        .bind(subscriber)
        .bind(kind_name(record.kind)?)
        .bind(serde_json::to_string(&record.fields).map_err(|e| sqlx::Error::Protocol(e.to_string()))?)
        .bind(ordinal)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub(crate) async fn page(
        &self,
        subscriber: &SubscriberId,
        offset: i64,
        size: i64,
    ) -> Result<Option<DataPage>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, kind, fields FROM records WHERE subscriber_id = $1
             ORDER BY ordinal, id LIMIT $2 OFFSET $3",
        )
        .bind(subscriber.as_str())
        .bind(size + 1)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let more = rows.len() as i64 > size;
        let records = rows
            .into_iter()
            .take(size as usize)
            .map(|row| {
                let kind: String = row.get("kind");
                let fields: String = row.get("fields");
                Ok(DataRecord {
                    id: row.get("id"),
                    kind: serde_json::from_value(Value::String(kind))
                        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?,
                    fields: serde_json::from_str(&fields)
                        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some(DataPage {
            records,
            next_page: more.then(|| (offset + size).to_string()),
        }))
    }

    /// Starts a changing call; a key seen before gets its first answer back instead.
    pub(crate) async fn begin_effect(
        &self,
        key: &str,
    ) -> Result<Result<Effect, (StatusCode, Value)>, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let seen = sqlx::query("SELECT status, body FROM idempotency WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = seen {
            sqlx::query("UPDATE idempotency SET replays = replays + 1 WHERE key = $1")
                .bind(key)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            let status: i64 = row.get("status");
            let body: String = row.get("body");
            let status = u16::try_from(status)
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::OK);
            let body = serde_json::from_str(&body).unwrap_or(Value::Null);
            return Ok(Err((status, body)));
        }
        Ok(Ok(Effect {
            tx,
            key: key.to_owned(),
        }))
    }

    /// Where an operation is. A new operation is pending at its first poll and done after.
    pub(crate) async fn operation(&self, id: &str) -> Result<Option<Operation>, sqlx::Error> {
        let row = sqlx::query("SELECT status, error FROM operations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let status: String = row.get("status");
        if status == "pending" {
            sqlx::query("UPDATE operations SET status = 'done' WHERE id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(Operation {
            id: id.to_owned(),
            status: match status.as_str() {
                "pending" => OperationStatus::Pending,
                "done" => OperationStatus::Done,
                _ => OperationStatus::Failed,
            },
            error: row.get("error"),
        }))
    }

    /// Keys that were sent again after their first answer, with how often.
    pub(crate) async fn replays(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        let rows = sqlx::query("SELECT key, replays FROM idempotency WHERE replays > 0")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get("key"), r.get("replays")))
            .collect())
    }

    pub(crate) async fn effects(&self) -> Result<Vec<(String, i64)>, sqlx::Error> {
        let rows = sqlx::query("SELECT key, COUNT(*) AS n FROM effects GROUP BY key")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.get("key"), r.get("n")))
            .collect())
    }
}

fn problem_body(code: &str, message: &str) -> Value {
    json!(Problem {
        code: code.into(),
        message: message.into()
    })
}

impl Effect {
    /// Remembers the answer for the key, counts the effect if there was one, and commits.
    async fn finish(mut self, status: StatusCode, body: Value, applied: bool) -> Answer {
        sqlx::query("INSERT INTO idempotency (key, status, body) VALUES ($1, $2, $3)")
            .bind(&self.key)
            .bind(i64::from(status.as_u16()))
            .bind(body.to_string())
            .execute(&mut *self.tx)
            .await?;
        if applied {
            sqlx::query("INSERT INTO effects (key) VALUES ($1)")
                .bind(&self.key)
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        Ok((status, body))
    }

    async fn new_operation(&mut self) -> Result<String, sqlx::Error> {
        let id = format!("op-{}", uuid::Uuid::new_v4().simple());
        sqlx::query("INSERT INTO operations (id, status) VALUES ($1, 'pending')")
            .bind(&id)
            .execute(&mut *self.tx)
            .await?;
        Ok(id)
    }

    pub(crate) async fn correct(
        mut self,
        subscriber: &SubscriberId,
        correction: &Correction,
    ) -> Answer {
        let mut applied = 0u32;
        for change in &correction.changes {
            let row =
                sqlx::query("SELECT fields FROM records WHERE id = $1 AND subscriber_id = $2")
                    .bind(&change.record_id)
                    .bind(subscriber.as_str())
                    .fetch_optional(&mut *self.tx)
                    .await?;
            let Some(row) = row else {
                let body = problem_body("unknown_record", "no such record for this subscriber");
                return self
                    .finish(StatusCode::UNPROCESSABLE_ENTITY, body, false)
                    .await;
            };
            let fields: String = row.get("fields");
            let mut fields: BTreeMap<String, String> =
                serde_json::from_str(&fields).map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            fields.insert(change.field.clone(), change.value.clone());
            sqlx::query("UPDATE records SET fields = $2 WHERE id = $1")
                .bind(&change.record_id)
                .bind(
                    serde_json::to_string(&fields)
                        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?,
                )
                .execute(&mut *self.tx)
                .await?;
            applied += 1;
        }
        self.finish(StatusCode::OK, json!({ "applied": applied }), true)
            .await
    }

    pub(crate) async fn erase(mut self, subscriber: &SubscriberId) -> Answer {
        sqlx::query("DELETE FROM records WHERE subscriber_id = $1")
            .bind(subscriber.as_str())
            .execute(&mut *self.tx)
            .await?;
        let operation = self.new_operation().await?;
        self.finish(
            StatusCode::ACCEPTED,
            json!({ "operation_id": operation }),
            true,
        )
        .await
    }

    /// Usage records carry their billing month as `month` (`YYYY-MM`), which sorts as text.
    pub(crate) async fn purge_usage(mut self, before_month: &str) -> Answer {
        let done = sqlx::query(
            "DELETE FROM records WHERE kind = 'usage' AND json_extract(fields, '$.month') < $1",
        )
        .bind(before_month)
        .execute(&mut *self.tx)
        .await?;
        let applied = u32::try_from(done.rows_affected()).unwrap_or(u32::MAX);
        self.finish(StatusCode::OK, json!({ "applied": applied }), applied > 0)
            .await
    }

    pub(crate) async fn unlist(mut self, number: &str) -> Answer {
        sqlx::query(
            "UPDATE records SET fields = json_set(fields, '$.listed', 'no')
             WHERE kind = 'directory' AND json_extract(fields, '$.number') = $1",
        )
        .bind(number)
        .execute(&mut *self.tx)
        .await?;
        let operation = self.new_operation().await?;
        self.finish(
            StatusCode::ACCEPTED,
            json!({ "operation_id": operation }),
            true,
        )
        .await
    }
}
