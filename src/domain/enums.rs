//! The one convention for the product's enumerations (statuses, kinds, roles, modes): each
//! variant has one snake_case name, the same in the database, in forms, in server-function
//! arguments and in JSON. Decoding an unknown name fails loudly ([`UnknownValue`]): a value the
//! code does not know is a bug or a tampered request, never something to replace by a default.

/// An enumeration's name that no variant has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownValue {
    /// The enumeration (`ConsultationStatus`).
    pub kind: &'static str,
    pub value: String,
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} value {:?}", self.kind, self.value)
    }
}

impl std::error::Error for UnknownValue {}

/// Declares an enumeration with its snake_case names: `ALL`, `as_str`, `parse`, `FromStr`,
/// `TryFrom<String>` (what the database rows decode with: `#[sqlx(try_from = "String")]`) and
/// serde under the same names.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident $(: $($extra:ident),+)? {
            $($(#[$vmeta:meta])* $variant:ident = $stored:literal,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize $($(, $extra)+)?)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $stored)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name in the database, forms and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::enums::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| $crate::domain::enums::UnknownValue {
                    kind: stringify!($name),
                    value: s.chars().take(64).collect(),
                })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::enums::UnknownValue;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
    };
}
pub(crate) use stored_enum;

#[cfg(test)]
mod tests {
    stored_enum! {
        enum Sample: PartialOrd, Ord {
            First = "first",
            SecondOne = "second_one",
        }
    }

    #[test]
    fn one_name_everywhere_and_unknown_names_fail() {
        for v in Sample::ALL {
            assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{}\"", v.as_str()));
            assert_eq!(
                serde_json::from_str::<Sample>(&format!("\"{}\"", v.as_str())).unwrap(),
                *v
            );
            assert_eq!(Sample::try_from(v.as_str().to_owned()), Ok(*v));
        }
        assert!(Sample::First < Sample::SecondOne);
        let err = Sample::try_from("SecondOne".to_owned()).unwrap_err();
        assert_eq!(err.to_string(), "unknown Sample value \"SecondOne\"");
        assert!(serde_json::from_str::<Sample>("\"SecondOne\"").is_err());
    }
}
