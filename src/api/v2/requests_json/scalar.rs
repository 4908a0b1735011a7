//! [`Scalar`]: a JSON value as far as an error message or a scalar field needs it, read
//! without keeping arrays or objects, and the visits every reader of `requestsJson` shares.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A JSON value as far as an error message or a scalar field needs it: arrays and objects are
/// skipped as they are read, never kept.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Scalar {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array,
    Object,
}

impl Scalar {
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "a boolean",
            Scalar::Number(_) => "a number",
            Scalar::String(_) => "a string",
            Scalar::Array => "an array",
            Scalar::Object => "an object",
        }
    }

    /// The value as an error message shows it: scalars as JSON (cut at 60 characters), arrays
    /// and objects by their kind.
    pub(super) fn short(&self) -> String {
        let text = match self {
            Scalar::Null => "null".to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Number(n) => n.to_string(),
            Scalar::String(s) => serde_json::Value::String(s.clone()).to_string(),
            Scalar::Array | Scalar::Object => return self.kind().to_string(),
        };
        match text.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        }
    }
}

/// The visits of scalars into any type built `From<Scalar>`; arrays and objects are the
/// type's own.
macro_rules! scalar_visits {
    () => {
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::Number(v.into())))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::Number(v.into())))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Self::Value::from(
                serde_json::Number::from_f64(v).map_or(Scalar::Null, Scalar::Number),
            ))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::String(v.to_string())))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::String(v)))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::Null))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Self::Value::from(Scalar::Null))
        }
    };
}

/// Skips the rest of a sequence.
pub(super) fn skip_seq<'de, A: SeqAccess<'de>>(seq: &mut A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Skips the rest of a map.
pub(super) fn skip_map<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON value")
            }
            scalar_visits!();
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                skip_seq(&mut seq)?;
                Ok(Scalar::Array)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                skip_map(&mut map)?;
                Ok(Scalar::Object)
            }
        }
        d.deserialize_any(V)
    }
}

pub(super) use scalar_visits;
