//! [`wire_enum!`](crate::wire_enum): string enums of the service APIs with an `Unknown(String)` fallback.

/// Declares a string enum of a service API: one variant per documented wire value plus `Unknown(String)`, so a
/// value added by the service later parses (and round-trips) instead of failing.
///
/// Generates `Clone`/`Debug`/`PartialEq`/`Eq`/`Hash`, `VALUES` (every documented wire value), `as_str()`,
/// `From<&str>`, `From<String>`, `FromStr` (infallible), `Display`, and serde `Serialize`/`Deserialize` as the
/// wire string. Each variant is documented with its wire value; the enum keeps the doc comments given to it.
///
/// ```
/// acs_core::wire_enum! {
///     /// State of a key.
///     pub enum KeyState {
///         Enabled => "Enabled",
///         PendingDeletion => "PendingDeletion",
///     }
/// }
///
/// assert_eq!("Enabled".parse::<KeyState>(), Ok(KeyState::Enabled));
/// assert_eq!(KeyState::from("Archived"), KeyState::Unknown("Archived".into()));
/// assert_eq!(KeyState::PendingDeletion.to_string(), "PendingDeletion");
/// assert_eq!(KeyState::VALUES, ["Enabled", "PendingDeletion"]);
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $variant:ident => $wire:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )+
            /// A value this SDK version does not know yet (kept verbatim).
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every documented value, as sent on the wire.
            pub const VALUES: &'static [&'static str] = &[$($wire),+];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as $crate::__private::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::wire_enum! {
        /// A test enum.
        pub enum Status {
            Running => "Running",
            PartialFailed => "Partial-Failed",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        assert_eq!(Status::from("Partial-Failed"), Status::PartialFailed);
        assert_eq!(Status::PartialFailed.as_str(), "Partial-Failed");
        assert_eq!("Running".parse::<Status>(), Ok(Status::Running));
        let unknown = Status::from(String::from("Brand-New"));
        assert_eq!(unknown, Status::Unknown("Brand-New".into()));
        assert_eq!(unknown.to_string(), "Brand-New");
        assert_eq!(Status::VALUES, ["Running", "Partial-Failed"]);
        assert_eq!(Status::from("running"), Status::Unknown("running".into()), "wire values are case-sensitive");
    }

    #[test]
    fn serde_uses_the_wire_string() {
        let parsed: Vec<Status> = serde_json::from_str(r#"["Partial-Failed", "Later"]"#).unwrap();
        assert_eq!(parsed, [Status::PartialFailed, Status::Unknown("Later".into())]);
        assert_eq!(serde_json::to_string(&parsed).unwrap(), r#"["Partial-Failed","Later"]"#);
        assert!(serde_json::from_str::<Status>("3").is_err(), "not a string");
    }
}
