//! The fault rules of one instance, with their counters, and the decision for one request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;
use utoipa::ToSchema;

use super::spec::{ActionSpec, MatchSpec, RuleSpec, TriggerSpec};
use super::{Action, HEADER_FAULT, Outcome, Trigger};
use crate::glob::glob_match;
use crate::problem::Problem;
use crate::random::{Seeded, fresh_u64};
use crate::surface::Api;

/// Fault rules per instance (mock limit, README "Limits"): every request is matched against
/// each, under one lock (BENCHMARKS.md has the cost at the limit).
pub const MAX_RULES: usize = 256;

/// Why a rule was not added.
#[derive(Debug)]
pub enum Refused {
    /// Its problems, each with its JSON path.
    Invalid(Vec<Problem>),
    /// The instance has [`MAX_RULES`] rules.
    Full,
}

/// What the fault layer knows about a request when it asks for a decision.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub api: Api,
    pub method: &'a str,
    /// The path inside the instance (no sandbox prefix).
    pub path: &'a str,
    pub sites: &'a [&'a str],
}

impl Facts<'_> {
    /// Routes no rule ever touches, so a broken rule can always be listed, removed or reset.
    fn is_fault_control(&self) -> bool {
        self.path.starts_with("/__admin/faults")
            || self.path == "/__admin/faults"
            || self.path == "/__admin/reset"
    }
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The sum of the delays of every rule that fired.
    pub delay_ms: u64,
    /// The first terminal outcome among the rules that fired (in creation order).
    pub outcome: Outcome,
    /// The ids of the rules that fired, or [`HEADER_FAULT`].
    pub fired: Vec<String>,
}

impl Decision {
    pub fn none() -> Self {
        Decision {
            delay_ms: 0,
            outcome: Outcome::Pass,
            fired: Vec::new(),
        }
    }

    /// The one-shot decision of an `X-Mock-Fault` header.
    pub fn from_header(action: Action) -> Self {
        Decision {
            delay_ms: action.delay_ms,
            outcome: action.outcome,
            fired: vec![HEADER_FAULT.to_string()],
        }
    }
}

#[derive(Debug)]
struct Rule {
    id: String,
    /// The number in its id.
    number: u64,
    spec: RuleSpec,
    action: Action,
    trigger: Trigger,
    rng: Option<Seeded>,
    /// Matching calls seen.
    calls: u64,
    /// Times it fired and was applied.
    hits: u64,
}

impl Rule {
    fn matches(&self, f: &Facts) -> bool {
        let m = &self.spec.matcher;
        // A usersync failure means nothing to another API: such a rule only sees usersync calls.
        let sync_only = matches!(self.action.outcome, Outcome::Sync(_));
        (!sync_only || f.api == Api::Usersync)
            && m.api.is_none_or(|a| a == f.api)
            && m.method
                .as_ref()
                .is_none_or(|x| x.eq_ignore_ascii_case(f.method))
            && m.path.as_ref().is_none_or(|p| glob_match(p, f.path))
            && m.site
                .as_ref()
                .is_none_or(|s| f.sites.iter().any(|x| x.eq_ignore_ascii_case(s)))
    }

    /// Counts a matching call and says whether the rule fires on it. The random draw happens
    /// on every matching call, so the sequence depends on the seed and the calls alone.
    fn fires(&mut self) -> bool {
        self.calls += 1;
        match self.trigger {
            Trigger::Always => true,
            Trigger::Times(n) => self.calls <= n,
            Trigger::Nth(n) => self.calls == n,
            Trigger::Probability { p, .. } => self.rng.as_mut().is_some_and(|r| r.unit() < p),
        }
    }

    fn can_fire_again(&self) -> bool {
        match self.trigger {
            Trigger::Times(n) | Trigger::Nth(n) => self.calls < n,
            Trigger::Always | Trigger::Probability { .. } => true,
        }
    }

    fn view(&self) -> RuleView {
        let mut trigger = self.spec.trigger.clone();
        if let Trigger::Probability { seed, .. } = self.trigger {
            trigger.seed = Some(seed);
        }
        RuleView {
            id: self.id.clone(),
            name: self.spec.name.clone(),
            matcher: self.spec.matcher.clone(),
            action: self.spec.action.clone(),
            trigger,
            calls: self.calls,
            hits: self.hits,
            active: self.can_fire_again(),
        }
    }
}

/// A rule as listed: what was sent (with the seed used), and its counters.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "match")]
    pub matcher: MatchSpec,
    pub action: ActionSpec,
    pub trigger: TriggerSpec,
    /// Matching calls seen since the rule was created.
    pub calls: u64,
    /// Calls it fired on.
    pub hits: u64,
    /// False once a `times` or `nth` rule can no longer fire.
    pub active: bool,
}

#[derive(Debug, Default)]
struct Rules {
    rules: Vec<Rule>,
    next_id: u64,
}

/// The fault rules of one instance.
#[derive(Debug, Default)]
pub struct FaultBook {
    /// Matched under the read lock, counted under the write lock: a request that matches no
    /// rule (nearly all of them) never waits for another (BENCHMARKS.md, "Limits").
    rules: RwLock<Rules>,
    /// How many rules there are, kept beside the lock so that a call with none to match (the
    /// common case) decides without taking it.
    count: AtomicUsize,
    /// The seed of probability rules that name none (`--seed`); random when absent.
    default_seed: Option<u64>,
}

impl FaultBook {
    pub fn new(default_seed: Option<u64>) -> Self {
        FaultBook {
            rules: RwLock::default(),
            count: AtomicUsize::new(0),
            default_seed,
        }
    }

    fn rules(&self) -> RwLockWriteGuard<'_, Rules> {
        self.rules.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn read(&self) -> RwLockReadGuard<'_, Rules> {
        self.rules.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Validates and adds a rule; every problem is reported with its JSON path.
    /// Adds a rule, unless it has problems or the book is full ([`MAX_RULES`]).
    pub fn add(&self, spec: RuleSpec) -> Result<RuleView, Refused> {
        let mut problems = Vec::new();
        spec.matcher.validate(&mut problems);
        let action = spec
            .action
            .validate("$.action", spec.matcher.site.as_deref(), &mut problems);
        if matches!(
            action,
            Some(Action {
                outcome: Outcome::Sync(_),
                ..
            })
        ) && spec.matcher.api.is_some_and(|a| a != Api::Usersync)
        {
            problems.push(Problem::new(
                "$.action.usersync",
                "a usersync failure needs match.api usersync (or none)",
            ));
        }
        let default_seed = self.default_seed.unwrap_or_else(fresh_u64);
        let trigger = spec.trigger.validate(default_seed, &mut problems);
        let (Some(action), Some(trigger), true) = (action, trigger, problems.is_empty()) else {
            return Err(Refused::Invalid(problems));
        };
        let rng = match trigger {
            Trigger::Probability { seed, .. } => Some(Seeded::new(seed)),
            _ => None,
        };
        let mut rules = self.rules();
        if rules.rules.len() >= MAX_RULES {
            return Err(Refused::Full);
        }
        rules.next_id += 1;
        let rule = Rule {
            id: format!("f{}", rules.next_id),
            number: rules.next_id,
            spec,
            action,
            trigger,
            rng,
            calls: 0,
            hits: 0,
        };
        let view = rule.view();
        rules.rules.push(rule);
        self.count.store(rules.rules.len(), Ordering::Release);
        Ok(view)
    }

    pub fn list(&self) -> Vec<RuleView> {
        self.read().rules.iter().map(Rule::view).collect()
    }

    pub fn get(&self, id: &str) -> Option<RuleView> {
        self.read()
            .rules
            .iter()
            .find(|r| r.id == id)
            .map(Rule::view)
    }

    pub fn remove(&self, id: &str) -> bool {
        let mut rules = self.rules();
        let before = rules.rules.len();
        rules.rules.retain(|r| r.id != id);
        self.count.store(rules.rules.len(), Ordering::Release);
        rules.rules.len() < before
    }

    /// Removes every rule; returns how many there were. Ids keep counting up, so an id never
    /// names two rules of one instance's life (`DELETE /__admin/faults`).
    pub fn clear(&self) -> usize {
        let mut rules = self.rules();
        self.count.store(0, Ordering::Release);
        std::mem::take(&mut rules.rules).len()
    }

    /// Back to how the instance started: no rule, and the next rule is `f1` again (a reset).
    pub fn reset(&self) {
        let mut rules = self.rules();
        self.count.store(0, Ordering::Release);
        *rules = Rules::default();
    }

    /// Whether there is no rule (without taking the lock).
    pub fn is_empty(&self) -> bool {
        self.count.load(Ordering::Acquire) == 0
    }

    /// Counts the call against every matching rule and decides what happens to it.
    pub fn decide(&self, facts: &Facts) -> Decision {
        let mut decision = Decision::none();
        if self.is_empty() || facts.is_fault_control() {
            return decision;
        }
        let matched: Vec<u64> = self
            .read()
            .rules
            .iter()
            .filter(|r| r.matches(facts))
            .map(|r| r.number)
            .collect();
        if matched.is_empty() {
            return decision;
        }
        // Rules may have come and gone in between: count those that still match.
        let mut rules = self.rules();
        let matching = rules
            .rules
            .iter_mut()
            .filter(|r| matched.contains(&r.number) && r.matches(facts));
        for rule in matching {
            if !rule.fires() {
                continue;
            }
            let terminal = rule.action.outcome.is_terminal();
            if terminal && decision.outcome.is_terminal() {
                continue; // an earlier rule already decided the answer
            }
            rule.hits += 1;
            decision.delay_ms += rule.action.delay_ms;
            if terminal {
                decision.outcome = rule.action.outcome.clone();
            }
            decision.fired.push(rule.id.clone());
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book_with(rules: &[&str]) -> FaultBook {
        let book = FaultBook::new(Some(42));
        for r in rules {
            book.add(serde_json::from_str(r).unwrap()).unwrap();
        }
        book
    }

    fn call(book: &FaultBook, path: &str) -> Decision {
        book.decide(&Facts {
            api: Api::of(path),
            method: "GET",
            path,
            sites: &["main"],
        })
    }

    #[test]
    fn nth_fires_once_on_the_nth_matching_call() {
        let book = book_with(&[
            r#"{"match":{"path":"/api/v3/users*"},"action":{"status":503},"trigger":{"nth":3}}"#,
        ]);
        let fired: Vec<bool> = (0..5)
            .map(|_| !call(&book, "/api/v3/users").fired.is_empty())
            .collect();
        assert_eq!(fired, [false, false, true, false, false]);
        assert!(
            call(&book, "/api/v3/tags").fired.is_empty(),
            "no match, no count"
        );
        let view = &book.list()[0];
        assert_eq!((view.calls, view.hits, view.active), (5, 1, false));
    }

    #[test]
    fn times_fires_on_the_next_n_calls() {
        let book = book_with(&[r#"{"action":{"drop":true},"trigger":{"times":2}}"#]);
        let outcomes: Vec<Outcome> = (0..3)
            .map(|_| call(&book, "/api/v3/users").outcome)
            .collect();
        assert_eq!(outcomes, [Outcome::Drop, Outcome::Drop, Outcome::Pass]);
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let rule = r#"{"action":{"status":500},"trigger":{"probability":0.5,"seed":1234}}"#;
        let run = || {
            let book = book_with(&[rule]);
            (0..64)
                .map(|_| !call(&book, "/api/v3/users").fired.is_empty())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let hits = first.iter().filter(|h| **h).count();
        assert!(
            (16..=48).contains(&hits),
            "about half of 64 calls fire, got {hits}"
        );
        let other =
            book_with(&[r#"{"action":{"status":500},"trigger":{"probability":0.5,"seed":999}}"#]);
        let other: Vec<bool> = (0..64)
            .map(|_| !call(&other, "/api/v3/users").fired.is_empty())
            .collect();
        assert_ne!(first, other, "another seed, another sequence");
    }

    #[test]
    fn delays_add_up_and_the_first_terminal_rule_wins() {
        let book = book_with(&[
            r#"{"action":{"delayMs":100}}"#,
            r#"{"action":{"status":503,"delayMs":5}}"#,
            r#"{"action":{"status":500}}"#,
        ]);
        let d = call(&book, "/api/v3/users");
        assert_eq!(d.delay_ms, 105);
        assert_eq!(
            d.outcome,
            Outcome::Respond {
                status: 503,
                body: None,
                content_type: None
            }
        );
        assert_eq!(d.fired, ["f1", "f2"]);
        assert_eq!(book.get("f3").unwrap().hits, 0);
    }

    #[test]
    fn a_clear_keeps_counting_ids_and_a_reset_starts_again() {
        let book = book_with(&[
            r#"{"action":{"status":503}}"#,
            r#"{"action":{"status":500}}"#,
        ]);
        assert_eq!(book.clear(), 2);
        book.add(serde_json::from_str(r#"{"action":{"drop":true}}"#).unwrap())
            .unwrap();
        assert_eq!(book.list()[0].id, "f3");
        book.reset();
        assert!(book.is_empty());
        let again = book
            .add(serde_json::from_str(r#"{"action":{"drop":true}}"#).unwrap())
            .unwrap();
        assert_eq!(again.id, "f1");
    }

    #[test]
    fn fault_control_routes_are_never_faulted() {
        let book = book_with(&[r#"{"match":{"api":"admin"},"action":{"status":503}}"#]);
        assert!(call(&book, "/__admin/faults").fired.is_empty());
        assert!(call(&book, "/__admin/faults/f1").fired.is_empty());
        assert!(call(&book, "/__admin/reset").fired.is_empty());
        assert_eq!(call(&book, "/__admin/health").fired, ["f1"]);
    }

    #[test]
    fn problems_name_their_json_path() {
        let book = FaultBook::new(None);
        let spec = serde_json::from_str(r#"{"match":{"api":"v3","method":"G E T"},"action":{"usersync":"OtherError"},"trigger":{"nth":0}}"#).unwrap();
        let Err(Refused::Invalid(problems)) = book.add(spec) else {
            panic!("the rule is refused for its problems");
        };
        let problems: Vec<String> = problems.iter().map(|p| p.path.clone()).collect();
        assert_eq!(
            problems,
            ["$.match.method", "$.action.usersync", "$.trigger.nth"]
        );
    }
}
