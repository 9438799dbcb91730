//! The words of the content model, once: each is an enum with the id
//! authors write (and serde writes) and the label readers see.
//!
//! Nothing else in candor spells a status, data type, region, jurisdiction,
//! regime or channel as a string literal: code matches on these enums, and
//! front matter is read into them (see `load::frontmatter::Fields::word`).

use std::fmt;

/// A closed set of words: its ids in order, and the conversion both ways.
pub trait Word: Copy + Eq + 'static {
    /// Every id, in the order they are listed (and suggested) to authors.
    const IDS: &'static [&'static str];
    fn id(self) -> &'static str;
    fn from_id(id: &str) -> Option<Self>;
    /// What an author most likely meant by a word that is not an id, where
    /// a spelling suggestion would mislead ("address" is not `ip_address`).
    fn meant(_word: &str) -> Option<&'static str> {
        None
    }
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $id:literal => $label:literal, )*
        }
        $(meant = $meant:path;)?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// What readers see.
            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)*
                }
            }
        }

        impl Word for $name {
            const IDS: &'static [&'static str] = &[$($id),*];

            fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)*
                }
            }

            fn from_id(id: &str) -> Option<$name> {
                match id {
                    $($id => Some($name::$variant),)*
                    _ => None,
                }
            }

            $(
                fn meant(word: &str) -> Option<&'static str> {
                    $meant(word)
                }
            )?
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.id())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let id = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$name as Word>::from_id(&id).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "`{id}` is not one of: {}",
                        <$name as Word>::IDS.join(", ")
                    ))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<$name, ()> {
                <$name as Word>::from_id(s).ok_or(())
            }
        }
    };
}

vocabulary! {
    /// Where an incident stands, from its latest published update.
    pub enum Status {
        Investigating = "investigating" => "Investigating",
        Identified = "identified" => "Identified",
        Contained = "contained" => "Contained",
        Monitoring = "monitoring" => "Monitoring",
        Resolved = "resolved" => "Resolved",
    }
}

impl Status {
    /// An incident is open until its latest update says it is resolved.
    pub fn is_open(self) -> bool {
        self != Status::Resolved
    }
}

vocabulary! {
    pub enum Severity {
        Low = "low" => "Low",
        Medium = "medium" => "Medium",
        High = "high" => "High",
        Critical = "critical" => "Critical",
    }
}

vocabulary! {
    /// The kinds of personal data an incident can involve.
    pub enum DataType {
        Name = "name" => "Names",
        PostalAddress = "postal_address" => "Postal addresses",
        Email = "email" => "Email addresses",
        Phone = "phone" => "Phone numbers",
        Dob = "dob" => "Dates of birth",
        Username = "username" => "Usernames",
        Password = "password" => "Passwords",
        SecurityQuestions = "security_questions" => "Security questions and answers",
        CardNumber = "card_number" => "Payment card numbers",
        BankAccount = "bank_account" => "Bank account details",
        NationalInsurance = "national_insurance" => "National Insurance numbers",
        UsSsn = "us_ssn" => "US Social Security numbers",
        GovId = "gov_id" => "Government ID numbers (passport, driving licence)",
        Health = "health" => "Health information",
        PurchaseHistory = "purchase_history" => "Purchase and repair history",
        DeviceData = "device_data" => "Data stored on devices",
        IpAddress = "ip_address" => "IP addresses",
        Location = "location" => "Location data",
        Biometric = "biometric" => "Biometric data",
        Other = "other" => "Other information",
    }
    meant = DataType::meant_by;
}

impl DataType {
    fn meant_by(word: &str) -> Option<&'static str> {
        Some(
            match word.to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
                "address" | "addresses" | "home_address" | "postal" => {
                    "use `postal_address` for a home or postal address, `email` for an email address"
                }
                "ssn" | "social_security" | "social_security_number" => "use `us_ssn`",
                "date_of_birth" | "birthday" | "birth_date" => "use `dob`",
                "card" | "credit_card" | "payment_card" | "cards" => "use `card_number`",
                "phone_number" | "telephone" | "mobile" => "use `phone`",
                "email_address" | "e_mail" => "use `email`",
                "names" | "full_name" => "use `name`",
                "medical" | "health_data" => "use `health`",
                "passport" | "driving_licence" | "drivers_license" | "id" => "use `gov_id`",
                "ni" | "nino" | "ni_number" => "use `national_insurance`",
                _ => return None,
            },
        )
    }
}

vocabulary! {
    /// Who a guidance entry is for.
    pub enum Region {
        Uk = "uk" => "United Kingdom",
        Us = "us" => "United States",
        Eu = "eu" => "European Union",
        All = "all" => "Everyone",
    }
}

impl Region {
    /// Guidance order: for everyone first, then by region.
    pub fn order(self) -> usize {
        match self {
            Region::All => 0,
            Region::Uk => 1,
            Region::Us => 2,
            Region::Eu => 3,
        }
    }

    /// Does guidance for this region apply to an incident in `places`?
    /// (No jurisdictions named: all guidance applies.)
    pub fn covers(self, places: &[Jurisdiction]) -> bool {
        self == Region::All || places.is_empty() || places.iter().any(|j| j.region() == Some(self))
    }
}

vocabulary! {
    /// Where the people an incident affects are, as its `jurisdictions` say.
    pub enum Jurisdiction {
        Uk = "uk" => "United Kingdom",
        Eu = "eu" => "European Union",
        Us = "us" => "United States",
        UsAk = "us-ak" => "Alaska",
        UsAl = "us-al" => "Alabama",
        UsAr = "us-ar" => "Arkansas",
        UsAz = "us-az" => "Arizona",
        UsCa = "us-ca" => "California",
        UsCo = "us-co" => "Colorado",
        UsCt = "us-ct" => "Connecticut",
        UsDc = "us-dc" => "District of Columbia",
        UsDe = "us-de" => "Delaware",
        UsFl = "us-fl" => "Florida",
        UsGa = "us-ga" => "Georgia",
        UsGu = "us-gu" => "Guam",
        UsHi = "us-hi" => "Hawaii",
        UsIa = "us-ia" => "Iowa",
        UsId = "us-id" => "Idaho",
        UsIl = "us-il" => "Illinois",
        UsIn = "us-in" => "Indiana",
        UsKs = "us-ks" => "Kansas",
        UsKy = "us-ky" => "Kentucky",
        UsLa = "us-la" => "Louisiana",
        UsMa = "us-ma" => "Massachusetts",
        UsMd = "us-md" => "Maryland",
        UsMe = "us-me" => "Maine",
        UsMi = "us-mi" => "Michigan",
        UsMn = "us-mn" => "Minnesota",
        UsMo = "us-mo" => "Missouri",
        UsMs = "us-ms" => "Mississippi",
        UsMt = "us-mt" => "Montana",
        UsNc = "us-nc" => "North Carolina",
        UsNd = "us-nd" => "North Dakota",
        UsNe = "us-ne" => "Nebraska",
        UsNh = "us-nh" => "New Hampshire",
        UsNj = "us-nj" => "New Jersey",
        UsNm = "us-nm" => "New Mexico",
        UsNv = "us-nv" => "Nevada",
        UsNy = "us-ny" => "New York",
        UsOh = "us-oh" => "Ohio",
        UsOk = "us-ok" => "Oklahoma",
        UsOr = "us-or" => "Oregon",
        UsPa = "us-pa" => "Pennsylvania",
        UsPr = "us-pr" => "Puerto Rico",
        UsRi = "us-ri" => "Rhode Island",
        UsSc = "us-sc" => "South Carolina",
        UsSd = "us-sd" => "South Dakota",
        UsTn = "us-tn" => "Tennessee",
        UsTx = "us-tx" => "Texas",
        UsUt = "us-ut" => "Utah",
        UsVa = "us-va" => "Virginia",
        UsVi = "us-vi" => "US Virgin Islands",
        UsVt = "us-vt" => "Vermont",
        UsWa = "us-wa" => "Washington",
        UsWi = "us-wi" => "Wisconsin",
        UsWv = "us-wv" => "West Virginia",
        UsWy = "us-wy" => "Wyoming",
        Ca = "ca" => "Canada",
        CaQc = "ca-qc" => "Quebec",
        Au = "au" => "Australia",
        Nz = "nz" => "New Zealand",
        Hipaa = "hipaa" => "HIPAA (US health information)",
    }
}

impl Jurisdiction {
    /// The guidance region it belongs to, if any.
    pub fn region(self) -> Option<Region> {
        use Jurisdiction::*;
        match self {
            Uk => Some(Region::Uk),
            Eu => Some(Region::Eu),
            Hipaa => Some(Region::Us),
            Ca | CaQc | Au | Nz => None,
            // Us and every state or territory.
            _ => Some(Region::Us),
        }
    }

    /// The regime of `candor check` it selects, if candor has one.
    pub fn regime(self) -> Option<Regime> {
        use Jurisdiction::*;
        match self {
            Uk => Some(Regime::UkGdpr),
            Eu => Some(Regime::EuGdpr),
            UsCa => Some(Regime::UsCa),
            UsMa => Some(Regime::UsMa),
            UsNy => Some(Regime::UsNy),
            Hipaa => Some(Regime::Hipaa),
            _ => None,
        }
    }
}

vocabulary! {
    /// A body of rules that `candor check` holds a notice to (`rules/*.toml`).
    pub enum Regime {
        UkGdpr = "uk-gdpr" => "UK GDPR",
        EuGdpr = "eu-gdpr" => "EU GDPR",
        UsCa = "us-ca" => "California",
        UsMa = "us-ma" => "Massachusetts",
        UsNy = "us-ny" => "New York",
        Hipaa = "hipaa" => "HIPAA",
    }
}

vocabulary! {
    /// Where an update goes.
    pub enum Channel {
        Web = "web" => "Website",
        Email = "email" => "Email",
        Social = "social" => "Social posts",
    }
}

/// Does a `channels` list (empty: everywhere) include `channel`?
pub fn goes_to(channels: &[Channel], channel: Channel) -> bool {
    channels.is_empty() || channels.contains(&channel)
}

vocabulary! {
    /// Paper sizes for letters.
    pub enum Paper {
        A4 = "a4" => "A4",
        Letter = "letter" => "US Letter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<W: Word + fmt::Debug>() {
        for id in W::IDS {
            let w = W::from_id(id).expect("every id reads");
            assert_eq!(w.id(), *id);
        }
        assert!(W::from_id("no-such-word").is_none());
    }

    #[test]
    fn every_id_reads_back() {
        round_trips::<Status>();
        round_trips::<Severity>();
        round_trips::<DataType>();
        round_trips::<Region>();
        round_trips::<Jurisdiction>();
        round_trips::<Regime>();
        round_trips::<Channel>();
        round_trips::<Paper>();
    }

    #[test]
    fn serde_writes_the_id() {
        let json = serde_json::to_string(&[Status::Identified, Status::Resolved]).unwrap();
        assert_eq!(json, r#"["identified","resolved"]"#);
        assert_eq!(DataType::UsSsn.label(), "US Social Security numbers");
    }

    #[test]
    fn regions_match_jurisdictions() {
        use Jurisdiction::*;
        assert!(Region::Us.covers(&[Uk, UsCa]));
        assert!(Region::Uk.covers(&[Uk]));
        assert!(!Region::Eu.covers(&[Uk, UsCa]));
        assert!(Region::Eu.covers(&[]));
        assert!(Region::All.covers(&[Uk]));
        assert!(Region::Us.covers(&[Hipaa]));
    }
}
