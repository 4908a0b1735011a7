//! What a sandbox costs (contract §5: "creating one is cheap").
//!
//! - `create sandbox`: `POST /__admin/sandboxes` minus HTTP: a new instance sharing every part
//!   of the loaded fixtures, registered.
//! - `first write in a sandbox`: the copy-on-write of the one site a write touches.
//! - `load fixtures (deep copy baseline)`: what a sandbox would cost if it parsed and
//!   validated its own copy of the default fixtures.
//!
//! Run with `cargo bench --bench sandbox`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use soteams_mock::fixtures::{self, FixtureSource};
use soteams_mock::instance::{Instance, Settings};
use soteams_mock::sandbox::Sandboxes;

fn sandbox_cost(c: &mut Criterion) {
    let world = fixtures::load(&FixtureSource::Default).expect("the default fixtures load");
    let root = Instance::root(world, Settings::default());
    let sandboxes = Sandboxes::default();

    c.bench_function("create sandbox", |b| {
        b.iter(|| {
            let sandbox = sandboxes
                .create(&root, Duration::from_secs(60))
                .expect("room for a sandbox");
            sandboxes.remove(&sandbox.id);
            black_box(sandbox);
        })
    });

    c.bench_function("first write in a sandbox", |b| {
        b.iter_batched(
            || root.sandbox_copy("bench".into()),
            |instance| {
                instance.store.update(|w| {
                    let site = w.site_mut("main").expect("the main site");
                    site.name.push('!');
                });
                black_box(instance)
            },
            criterion::BatchSize::SmallInput,
        )
    });

    c.bench_function("load fixtures (deep copy baseline)", |b| {
        b.iter(|| {
            black_box(fixtures::load(&FixtureSource::Default).expect("the default fixtures load"))
        })
    });
}

criterion_group!(benches, sandbox_cost);
criterion_main!(benches);
