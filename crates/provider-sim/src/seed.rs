//! What the stand-in holds at first: the provider's identity, and with `--seed-demo` the
//! subscribers behind `portal seed-demo`'s customers.

use crate::store::SimStore;
use provider::model::{DataRecord, ProviderInfo, RecordKind, SubProcessor};
use std::collections::BTreeMap;

pub(crate) fn provider_info() -> ProviderInfo {
    ProviderInfo {
        name: "Operator Online".into(),
        sub_processors: vec![SubProcessor {
            name: "Microsoft Azure".into(),
            purpose: "hosting of the back office".into(),
            location: "EU (Netherlands, Ireland)".into(),
        }],
    }
}

fn record(kind: RecordKind, id: &str, fields: &[(&str, &str)]) -> DataRecord {
    DataRecord {
        kind,
        id: id.into(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// The demo subscribers: OO-100001 is Bakkerij De Vries (Sanne), OO-100002 Jansen Installatie
/// (Mark), as `portal seed-demo` creates them.
///
/// Usage is last month's and this month's, so the portal's retention purge (six months after a
/// billing month) leaves a fresh stand-in's records alone whenever it runs.
pub(crate) async fn demo(store: &SimStore) -> Result<(), sqlx::Error> {
    let this_month = chrono::Utc::now().date_naive();
    let last_month = this_month - chrono::Months::new(1);
    let (this_month, last_month) = (
        this_month.format("%Y-%m").to_string(),
        last_month.format("%Y-%m").to_string(),
    );
    let subscribers: [(&str, Vec<DataRecord>); 2] = [
        (
            "OO-100001",
            vec![
                record(
                    RecordKind::Number,
                    "OO-100001-num-1",
                    &[
                        ("number", "+31201234567"),
                        ("holder_name", "Bakkerij De Vries"),
                        ("status", "active"),
                    ],
                ),
                record(
                    RecordKind::Service,
                    "OO-100001-svc-1",
                    &[
                        ("number", "+31201234567"),
                        ("product", "Zakelijk Vast VoIP"),
                        ("since", "2021-03-01"),
                    ],
                ),
                record(
                    RecordKind::Directory,
                    "OO-100001-dir-1",
                    &[
                        ("number", "+31201234567"),
                        ("listed", "yes"),
                        ("name", "Bakkerij De Vries"),
                        ("city", "Amsterdam"),
                    ],
                ),
                record(
                    RecordKind::Number,
                    "OO-100001-num-2",
                    &[
                        ("number", "+31612345678"),
                        ("holder_name", "S. de Vries"),
                        ("status", "active"),
                    ],
                ),
                record(
                    RecordKind::Sim,
                    "OO-100001-sim-1",
                    &[
                        ("number", "+31612345678"),
                        ("iccid", "8931440000000000017"),
                        ("puk", "on request"),
                    ],
                ),
                record(
                    RecordKind::Porting,
                    "OO-100001-port-1",
                    &[
                        ("number", "+31612345678"),
                        ("from", "Vorige Provider BV"),
                        ("date", "2022-06-14"),
                    ],
                ),
                record(
                    RecordKind::Usage,
                    &format!("OO-100001-use-{last_month}"),
                    &[
                        ("number", "+31612345678"),
                        ("month", &last_month),
                        ("calls", "142"),
                        ("data_mb", "8231"),
                    ],
                ),
                record(
                    RecordKind::Usage,
                    &format!("OO-100001-use-{this_month}"),
                    &[
                        ("number", "+31612345678"),
                        ("month", &this_month),
                        ("calls", "97"),
                        ("data_mb", "5120"),
                    ],
                ),
            ],
        ),
        (
            "OO-100002",
            vec![
                record(
                    RecordKind::Number,
                    "OO-100002-num-1",
                    &[
                        ("number", "+31307654321"),
                        ("holder_name", "Jansen Installatie"),
                        ("status", "active"),
                    ],
                ),
                record(
                    RecordKind::Service,
                    "OO-100002-svc-1",
                    &[
                        ("number", "+31307654321"),
                        ("product", "Zakelijk Mobiel 10 GB"),
                        ("since", "2023-09-15"),
                    ],
                ),
                record(
                    RecordKind::Directory,
                    "OO-100002-dir-1",
                    &[("number", "+31307654321"), ("listed", "no")],
                ),
                record(
                    RecordKind::Usage,
                    &format!("OO-100002-use-{this_month}"),
                    &[
                        ("number", "+31307654321"),
                        ("month", &this_month),
                        ("calls", "31"),
                        ("data_mb", "2048"),
                    ],
                ),
            ],
        ),
    ];
    for (subscriber, records) in subscribers {
        for (ordinal, record) in records.iter().enumerate() {
            store
                .insert_record(subscriber, ordinal as i64, record)
                .await?;
        }
    }
    Ok(())
}
