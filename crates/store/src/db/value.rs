//! Parameters and cells on both engines: what goes into a statement ([`Value`], [`ToValue`])
//! and what comes out of a row ([`FromCell`]).

use std::error::Error;
use std::rc::Rc;

use postgres::types::{to_sql_checked, FromSql, IsNull, Kind, ToSql, Type};
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::StoreError;

/// A parameter's value, borrowed where it can be.
#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    /// A list of text (`x IN rarray(?)` on SQLite, `x = ANY($n)` on PostgreSQL).
    Texts(&'a [String]),
    /// A list of integers.
    Ints(&'a [i64]),
}

/// Anything a statement takes as a parameter.
pub(crate) trait ToValue {
    fn value(&self) -> Value<'_>;
}

impl ToValue for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl ToValue for i64 {
    fn value(&self) -> Value<'_> {
        Value::Int(*self)
    }
}

impl ToValue for bool {
    /// A flag is 0 or 1 on both engines.
    fn value(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}

macro_rules! small_integers {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
small_integers!(i32, u32, u16, u8);

impl ToValue for u64 {
    /// Counts and sizes: past `i64::MAX` (never in a store) they are kept at `i64::MAX`.
    fn value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for usize {
    fn value(&self) -> Value<'_> {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

/// A list of text as one parameter.
#[derive(Debug, Clone)]
pub(crate) struct TextList(pub Vec<String>);

impl ToValue for TextList {
    fn value(&self) -> Value<'_> {
        Value::Texts(&self.0)
    }
}

/// A list of integers as one parameter.
#[derive(Debug, Clone)]
pub(crate) struct IntList(pub Vec<i64>);

impl ToValue for IntList {
    fn value(&self) -> Value<'_> {
        Value::Ints(&self.0)
    }
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as Owned;
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(Owned::Null),
            Value::Int(i) => ToSqlOutput::Owned(Owned::Integer(*i)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Texts(list) => ToSqlOutput::Array(Rc::new(
                list.iter().map(|s| Owned::Text(s.clone())).collect(),
            )),
            Value::Ints(list) => {
                ToSqlOutput::Array(Rc::new(list.iter().map(|&i| Owned::Integer(i)).collect()))
            }
        })
    }
}

/// The parameters as rusqlite takes them.
pub(super) fn sqlite_params<'a>(
    params: &'a [&'a dyn ToValue],
) -> rusqlite::ParamsFromIter<impl Iterator<Item = Value<'a>>> {
    rusqlite::params_from_iter(params.iter().map(|p| p.value()))
}

/// A value bound as the type PostgreSQL inferred for its parameter: an integer as any integer
/// width or as a boolean, text as any text type. Anything else is refused (a mistake in a
/// statement, said by the driver with the types involved).
impl ToSql for Value<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => Err(format!("an integer cannot be bound as {ty}").into()),
            },
            Value::Text(s) => s.to_sql(ty, out),
            Value::Texts(list) => match ty.kind() {
                Kind::Array(_) => list.to_sql(ty, out),
                _ => Err(format!("a list cannot be bound as {ty}").into()),
            },
            Value::Ints(list) => match ty.kind() {
                Kind::Array(_) => list.to_sql(ty, out),
                _ => Err(format!("a list cannot be bound as {ty}").into()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// What a cell is read as.
pub(crate) trait FromCell: Sized {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError>;
    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError>;
}

impl FromCell for String {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        Ok(row.get(index)?)
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get(index)?)
    }
}

/// An integer of any width, or a boolean as 0 or 1 (`EXISTS` is a boolean on PostgreSQL, an
/// integer on SQLite).
struct AnyInt(i64);

impl<'a> FromSql<'a> for AnyInt {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(AnyInt(match *ty {
            Type::INT8 => i64::from_sql(ty, raw)?,
            Type::INT4 => i64::from(i32::from_sql(ty, raw)?),
            Type::INT2 => i64::from(i16::from_sql(ty, raw)?),
            Type::BOOL => i64::from(bool::from_sql(ty, raw)?),
            _ => return Err(format!("{ty} is not an integer").into()),
        }))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL)
    }
}

impl FromCell for i64 {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        Ok(row.get(index)?)
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get::<_, AnyInt>(index)?.0)
    }
}

impl FromCell for bool {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        Ok(row.get(index)?)
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError> {
        Ok(row.try_get::<_, AnyInt>(index)?.0 != 0)
    }
}

/// Integers the store keeps in narrower types (a revision, a count): a value out of range is
/// a damaged store.
macro_rules! narrow_integers {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
                narrow(i64::from_sqlite(row, index)?)
            }

            fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError> {
                narrow(i64::from_postgres(row, index)?)
            }
        }
    )*};
}
narrow_integers!(i32, u32, u64, u16, u8, usize);

fn narrow<T: TryFrom<i64>>(value: i64) -> Result<T, StoreError> {
    T::try_from(value).map_err(|_| {
        StoreError::Corrupt(format!(
            "{value} is out of range for {}",
            std::any::type_name::<T>()
        ))
    })
}

/// Whether a cell is NULL, whatever its type.
struct IsNullCell(bool);

impl<'a> FromSql<'a> for IsNullCell {
    fn from_sql(_: &Type, _: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(IsNullCell(false))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn Error + Sync + Send>> {
        Ok(IsNullCell(true))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_sqlite(row: &rusqlite::Row<'_>, index: usize) -> Result<Self, StoreError> {
        match row.get_ref(index)? {
            ValueRef::Null => Ok(None),
            _ => T::from_sqlite(row, index).map(Some),
        }
    }

    fn from_postgres(row: &postgres::Row, index: usize) -> Result<Self, StoreError> {
        if row.try_get::<_, IsNullCell>(index)?.0 {
            return Ok(None);
        }
        T::from_postgres(row, index).map(Some)
    }
}
