//! Condition operators: parsing (`StringEquals`, `ForAnyValue:StringLike`, `DateLessThanIfExists`, ...) and the
//! comparison of one request value with one policy value, per operator family.

use std::net::IpAddr;

use crate::wildcard::wildcard_match;

/// The base comparison of a condition operator (without `IfExists` or a set qualifier).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorKind {
    /// `StringEquals`
    StringEquals,
    /// `StringNotEquals`
    StringNotEquals,
    /// `StringEqualsIgnoreCase`
    StringEqualsIgnoreCase,
    /// `StringNotEqualsIgnoreCase`
    StringNotEqualsIgnoreCase,
    /// `StringLike`
    StringLike,
    /// `StringNotLike`
    StringNotLike,
    /// `NumericEquals`
    NumericEquals,
    /// `NumericNotEquals`
    NumericNotEquals,
    /// `NumericLessThan`
    NumericLessThan,
    /// `NumericLessThanEquals`
    NumericLessThanEquals,
    /// `NumericGreaterThan`
    NumericGreaterThan,
    /// `NumericGreaterThanEquals`
    NumericGreaterThanEquals,
    /// `DateEquals`
    DateEquals,
    /// `DateNotEquals`
    DateNotEquals,
    /// `DateLessThan`
    DateLessThan,
    /// `DateLessThanEquals`
    DateLessThanEquals,
    /// `DateGreaterThan`
    DateGreaterThan,
    /// `DateGreaterThanEquals`
    DateGreaterThanEquals,
    /// `Bool`
    Bool,
    /// `IpAddress`
    IpAddress,
    /// `NotIpAddress`
    NotIpAddress,
    /// `Null` (undocumented in RAM): `true` = the key is absent, `false` = present.
    Null,
}

/// The kind of value an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    /// Strings (any JSON scalar is accepted and compared as text).
    String,
    /// Numbers.
    Numeric,
    /// ISO 8601 date-times.
    Date,
    /// `true` / `false`.
    Bool,
    /// IP addresses and CIDR blocks (IPv4 and IPv6).
    Ip,
    /// Key presence (`Null`).
    Null,
}

const KINDS: &[(&str, OperatorKind)] = &[
    ("StringEquals", OperatorKind::StringEquals),
    ("StringNotEquals", OperatorKind::StringNotEquals),
    ("StringEqualsIgnoreCase", OperatorKind::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", OperatorKind::StringNotEqualsIgnoreCase),
    ("StringLike", OperatorKind::StringLike),
    ("StringNotLike", OperatorKind::StringNotLike),
    ("NumericEquals", OperatorKind::NumericEquals),
    ("NumericNotEquals", OperatorKind::NumericNotEquals),
    ("NumericLessThan", OperatorKind::NumericLessThan),
    ("NumericLessThanEquals", OperatorKind::NumericLessThanEquals),
    ("NumericGreaterThan", OperatorKind::NumericGreaterThan),
    ("NumericGreaterThanEquals", OperatorKind::NumericGreaterThanEquals),
    ("DateEquals", OperatorKind::DateEquals),
    ("DateNotEquals", OperatorKind::DateNotEquals),
    ("DateLessThan", OperatorKind::DateLessThan),
    ("DateLessThanEquals", OperatorKind::DateLessThanEquals),
    ("DateGreaterThan", OperatorKind::DateGreaterThan),
    ("DateGreaterThanEquals", OperatorKind::DateGreaterThanEquals),
    ("Bool", OperatorKind::Bool),
    ("IpAddress", OperatorKind::IpAddress),
    ("NotIpAddress", OperatorKind::NotIpAddress),
    ("Null", OperatorKind::Null),
];

impl OperatorKind {
    /// The operator's name as written in a policy.
    pub fn name(self) -> &'static str {
        KINDS.iter().find(|(_, k)| *k == self).map(|(n, _)| *n).unwrap_or("")
    }

    /// Reads a base operator name (exact, case-sensitive as RAM is).
    pub fn from_name(name: &str) -> Option<OperatorKind> {
        KINDS.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// Every base operator.
    pub fn all() -> impl Iterator<Item = OperatorKind> {
        KINDS.iter().map(|(_, k)| *k)
    }

    /// The value family the operator compares.
    pub fn family(self) -> OperatorFamily {
        use OperatorKind::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => OperatorFamily::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => OperatorFamily::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => OperatorFamily::Date,
            Bool => OperatorFamily::Bool,
            IpAddress | NotIpAddress => OperatorFamily::Ip,
            Null => OperatorFamily::Null,
        }
    }

    /// For a negated operator, its positive counterpart (`StringNotEquals` → `StringEquals`).
    pub fn positive(self) -> Option<OperatorKind> {
        use OperatorKind::*;
        Some(match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            NotIpAddress => IpAddress,
            _ => return None,
        })
    }

    /// True for the negated operators (`...Not...`, `NotIpAddress`).
    pub fn is_negated(self) -> bool {
        self.positive().is_some()
    }

    /// Compares one request value with one policy value using this (positive) operator. Negated operators are
    /// evaluated through [`OperatorKind::positive`]; calling this on one returns the positive comparison's negation.
    /// Values that do not parse for the family never match.
    pub fn compare(self, request: &str, policy: &str) -> bool {
        use OperatorKind::*;
        if let Some(pos) = self.positive() {
            return !pos.compare(request, policy);
        }
        match self {
            StringEquals => request == policy,
            StringEqualsIgnoreCase => request.to_lowercase() == policy.to_lowercase(),
            StringLike => wildcard_match(policy, request, false),
            NumericEquals | NumericLessThan | NumericLessThanEquals | NumericGreaterThan | NumericGreaterThanEquals => {
                match compare_numbers(request, policy) {
                    Some(order) => match self {
                        NumericEquals => order.is_eq(),
                        NumericLessThan => order.is_lt(),
                        NumericLessThanEquals => order.is_le(),
                        NumericGreaterThan => order.is_gt(),
                        _ => order.is_ge(),
                    },
                    None => false,
                }
            }
            DateEquals | DateLessThan | DateLessThanEquals | DateGreaterThan | DateGreaterThanEquals => {
                match (parse_date(request), parse_date(policy)) {
                    (Some(r), Some(p)) => match self {
                        DateEquals => r == p,
                        DateLessThan => r < p,
                        DateLessThanEquals => r <= p,
                        DateGreaterThan => r > p,
                        _ => r >= p,
                    },
                    _ => false,
                }
            }
            Bool => matches!((parse_bool(request), parse_bool(policy)), (Some(r), Some(p)) if r == p),
            IpAddress => match (request.trim().parse::<IpAddr>(), parse_cidr(policy)) {
                (Ok(ip), Some(cidr)) => cidr.contains(ip),
                _ => false,
            },
            // Null is decided on key presence by the evaluator; as a value comparison it never matches.
            _ => false,
        }
    }
}

impl std::fmt::Display for OperatorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Lets the builder take a typed operator: `.when(OperatorKind::IpAddress, "acs:SourceIp", ["10.0.0.0/8"])`.
impl From<OperatorKind> for String {
    fn from(kind: OperatorKind) -> String {
        kind.name().to_string()
    }
}

/// Set qualifier for multi-valued keys (undocumented in RAM).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// `ForAnyValue:` at least one request value satisfies the operator.
    ForAnyValue,
    /// `ForAllValues:` every request value satisfies the operator (true when the key is absent).
    ForAllValues,
}

/// A parsed condition operator such as `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    /// The base comparison.
    pub kind: OperatorKind,
    /// `ForAnyValue:` / `ForAllValues:` prefix, if any.
    pub qualifier: Option<SetQualifier>,
    /// `IfExists` suffix: the condition holds when the key is absent.
    pub if_exists: bool,
}

impl ConditionOperator {
    /// Parses an operator as written in a policy; `None` for an unknown operator.
    pub fn parse(text: &str) -> Option<ConditionOperator> {
        let (qualifier, rest) = if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else {
            (None, text)
        };
        if let Some(kind) = OperatorKind::from_name(rest) {
            return Some(ConditionOperator { kind, qualifier, if_exists: false });
        }
        let base = rest.strip_suffix("IfExists")?;
        let kind = OperatorKind::from_name(base)?;
        if kind == OperatorKind::Null {
            return None;
        }
        Some(ConditionOperator { kind, qualifier, if_exists: true })
    }
}

impl std::fmt::Display for ConditionOperator {
    /// The operator as written in a policy (`ForAllValues:StringLikeIfExists`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.qualifier {
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            None => {}
        }
        f.write_str(self.kind.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

impl From<ConditionOperator> for String {
    fn from(op: ConditionOperator) -> String {
        op.to_string()
    }
}

/// Parses a decimal number (integer or fraction, optional sign and exponent).
pub fn parse_number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')) {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Compares two decimal numbers exactly (no rounding through `f64`, so 16-digit ids compare right); `None` when
/// either is not a number ([`parse_number`]).
pub fn compare_numbers(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    parse_number(a)?;
    parse_number(b)?;
    Some(Decimal::parse(a)?.cmp(&Decimal::parse(b)?))
}

/// An exact decimal: `digits × 10^exponent`, digits without leading or trailing zeros (empty for zero).
#[derive(PartialEq, Eq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exponent) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], t[i + 1..].parse::<i64>().ok()?),
            None => (t, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if (int.is_empty() && frac.is_empty()) || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let mut exponent = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
        while digits.last() == Some(&0) {
            digits.pop();
            exponent = exponent.checked_add(1)?;
        }
        let leading = digits.iter().take_while(|d| **d == 0).count();
        digits.drain(..leading);
        let negative = negative && !digits.is_empty();
        Some(Decimal { negative, digits, exponent })
    }

    /// Position of the most significant digit (`None` for zero).
    fn magnitude(&self) -> Option<i64> {
        (!self.digits.is_empty()).then(|| self.exponent + self.digits.len() as i64)
    }

    fn cmp_abs(&self, other: &Decimal) -> std::cmp::Ordering {
        match (self.magnitude(), other.magnitude()) {
            (Some(a), Some(b)) if a != b => a.cmp(&b),
            // Same magnitude: compare digit by digit (a shorter list is padded with zeros).
            (Some(_), Some(_)) => self.digits.cmp(&other.digits),
            (a, b) => a.is_some().cmp(&b.is_some()),
        }
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> std::cmp::Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.cmp_abs(other),
            (true, true) => other.cmp_abs(self),
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Parses `true` / `false` (ASCII case-insensitive).
pub fn parse_bool(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An IP network: address and prefix length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    /// The network address as written.
    pub addr: IpAddr,
    /// Prefix length (32 / 128 for a single address).
    pub prefix: u8,
}

impl Cidr {
    /// True when `ip` is in this network (IPv4 and IPv6 never match each other, except IPv4-mapped IPv6 addresses,
    /// which are the IPv4 address they map, in the request and in the network alike).
    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4-mapped IPv6 network (`::ffff:10.0.0.0/104`) is the IPv4 network it maps.
        if let IpAddr::V6(net) = self.addr {
            if let (Some(v4), true) = (net.to_ipv4_mapped(), self.prefix >= 96) {
                return Cidr { addr: IpAddr::V4(v4), prefix: self.prefix - 96 }.contains(ip);
            }
        }
        let ip = match (self.addr, ip) {
            (IpAddr::V4(_), IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => return false,
            },
            (_, ip) => ip,
        };
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_eq(&net.octets(), &ip.octets(), self.prefix),
            (IpAddr::V6(net), IpAddr::V6(ip)) => prefix_eq(&net.octets(), &ip.octets(), self.prefix),
            _ => false,
        }
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

/// Parses an IP address (`10.0.0.1`, `2001:db8::1`) or CIDR block (`10.0.0.0/8`, `2001:db8::/32`).
pub fn parse_cidr(text: &str) -> Option<Cidr> {
    let t = text.trim();
    let (addr, prefix) = match t.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (t, None),
    };
    let addr: IpAddr = addr.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse::<u8>().ok()?,
        Some(_) => return None,
        None => max,
    };
    (prefix <= max).then_some(Cidr { addr, prefix })
}

/// Parses an ISO 8601 date-time into Unix seconds plus nanoseconds: `2019-08-12T17:00:00+08:00`,
/// `2019-08-12T09:00:00Z`, `2019-08-12T09:00:00.5Z`, `2019-08-12T09:00Z`, or a date alone (`2019-08-12`, midnight UTC).
pub fn parse_date(text: &str) -> Option<(i64, u32)> {
    let t = text.trim().as_bytes();
    let num = |s: &[u8]| -> Option<i64> {
        if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(s).ok()?.parse().ok()
    };
    if t.len() < 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(&t[0..4])?, num(&t[5..7])?, num(&t[8..10])?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if t.len() == 10 {
        return Some((days * 86_400, 0));
    }
    if !matches!(t[10], b'T' | b't' | b' ') || t.len() < 16 || t[13] != b':' {
        return None;
    }
    let (hour, minute) = (num(&t[11..13])?, num(&t[14..16])?);
    let mut i = 16;
    let mut second = 0;
    let mut nanos = 0u32;
    if t.get(i) == Some(&b':') {
        second = num(t.get(i + 1..i + 3)?)?;
        i += 3;
        if t.get(i) == Some(&b'.') {
            let start = i + 1;
            let mut end = start;
            while end < t.len() && t[end].is_ascii_digit() {
                end += 1;
            }
            if end == start {
                return None;
            }
            let digits = &t[start..end.min(start + 9)];
            let mut n = num(digits)?;
            for _ in digits.len()..9 {
                n *= 10;
            }
            nanos = u32::try_from(n).ok()?;
            i = end;
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset = match &t[i..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let (oh, om) = (num(&[*h1, *h2])?, num(&[*m1, *m2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_operators_with_prefix_and_suffix() {
        let op = ConditionOperator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.kind, OperatorKind::StringLike);
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert!(op.if_exists);
        assert!(ConditionOperator::parse("StringEqual").is_none());
        assert!(ConditionOperator::parse("stringequals").is_none());
        assert!(ConditionOperator::parse("NullIfExists").is_none());
        for kind in OperatorKind::all() {
            assert_eq!(ConditionOperator::parse(kind.name()).map(|o| o.kind), Some(kind));
            for text in
                [format!("ForAllValues:{kind}"), format!("{kind}IfExists"), format!("ForAnyValue:{kind}IfExists")]
            {
                match ConditionOperator::parse(&text) {
                    Some(op) => assert_eq!(op.to_string(), text),
                    None => assert_eq!(kind, OperatorKind::Null, "{text}"),
                }
            }
        }
        assert_eq!(OperatorKind::all().count(), 22);
    }

    #[test]
    fn dates_with_offsets_compare_as_instants() {
        assert_eq!(parse_date("2019-08-12T17:00:00+08:00"), parse_date("2019-08-12T09:00:00Z"));
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(parse_date("1970-01-02"), Some((86_400, 0)));
        assert_eq!(parse_date("2000-03-01T00:00:00Z").map(|d| d.0), Some(951_868_800));
        assert_eq!(parse_date("2019-08-12T09:00:00.25Z"), Some((1_565_600_400, 250_000_000)));
        assert!(parse_date("2019-02-29T00:00:00Z").is_none());
        assert!(parse_date("2019-08-12T25:00:00Z").is_none());
        assert!(parse_date("2019-08-12T09:00:00").is_none());
        assert!(parse_date("yesterday").is_none());
        assert!(OperatorKind::DateLessThan.compare("2019-08-12T08:59:59Z", "2019-08-12T17:00:00+08:00"));
        assert!(!OperatorKind::DateLessThan.compare("2019-08-12T09:00:00Z", "2019-08-12T17:00:00+08:00"));
    }

    #[test]
    fn cidrs_v4_and_v6() {
        let c = parse_cidr("192.168.0.0/16").unwrap();
        assert!(c.contains("192.168.200.1".parse().unwrap()));
        assert!(!c.contains("192.169.0.1".parse().unwrap()));
        assert!(c.contains("::ffff:192.168.1.1".parse().unwrap()));
        let c = parse_cidr("10.1.2.3").unwrap();
        assert!(c.contains("10.1.2.3".parse().unwrap()));
        assert!(!c.contains("10.1.2.4".parse().unwrap()));
        let c = parse_cidr("2001:db8::/33").unwrap();
        assert!(c.contains("2001:db8:7fff::1".parse().unwrap()));
        assert!(!c.contains("2001:db8:8000::1".parse().unwrap()));
        assert!(!c.contains("10.0.0.1".parse().unwrap()));
        assert!(parse_cidr("10.0.0.0/33").is_none());
        assert!(parse_cidr("10.0.0.0/").is_none());
        assert!(parse_cidr("not-an-ip").is_none());
        assert!(parse_cidr("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn ipv4_mapped_networks_match_ipv4_requests_both_ways() {
        // The converse (an IPv4 network and a mapped IPv6 request) already matched; the mapping is one address.
        let mapped = parse_cidr("::ffff:10.0.0.0/104").unwrap();
        assert!(mapped.contains("10.1.2.3".parse().unwrap()));
        assert!(!mapped.contains("11.1.2.3".parse().unwrap()));
        assert!(mapped.contains("::ffff:10.9.9.9".parse().unwrap()));
        assert!(!parse_cidr("2001:db8::/32").unwrap().contains("10.1.2.3".parse().unwrap()));
    }

    #[test]
    fn numbers_compare_exactly_beyond_f64_precision() {
        // 16-digit account ids do not fit an f64 mantissa (2^53 = 9007199254740992).
        assert!(!OperatorKind::NumericEquals.compare("9007199254740993", "9007199254740992"));
        assert!(OperatorKind::NumericNotEquals.compare("9007199254740993", "9007199254740992"));
        assert!(OperatorKind::NumericGreaterThan.compare("9007199254740993", "9007199254740992"));
        assert!(OperatorKind::NumericLessThan.compare("1234567890123456.1", "1234567890123456.2"));
        assert!(OperatorKind::NumericEquals.compare("1234567890123456", "1.234567890123456e15"));
        assert!(OperatorKind::NumericEquals.compare("-0", "0.000"));
        assert!(OperatorKind::NumericEquals.compare("+10", "1e1"));
        assert!(OperatorKind::NumericEquals.compare("0.5", ".5"));
        assert!(OperatorKind::NumericLessThan.compare("-2", "-1.5"));
        assert!(OperatorKind::NumericLessThan.compare("-1e-3", "0"));
        assert!(!OperatorKind::NumericLessThan.compare("12", "9"));
        assert!(OperatorKind::NumericLessThanEquals.compare("100.00", "1e2"));
        assert!(!OperatorKind::NumericEquals.compare("1e", "1"));
        assert!(!OperatorKind::NumericEquals.compare("1.2.3", "1"));
    }

    #[test]
    fn numbers_and_bools() {
        assert!(OperatorKind::NumericLessThan.compare("9", "10"));
        assert!(!OperatorKind::NumericLessThan.compare("10", "10"));
        assert!(OperatorKind::NumericEquals.compare("1.0", "1"));
        assert!(!OperatorKind::NumericEquals.compare("one", "1"));
        assert!(parse_number("inf").is_none());
        assert!(OperatorKind::Bool.compare("TRUE", "true"));
        assert!(!OperatorKind::Bool.compare("yes", "true"));
    }
}
