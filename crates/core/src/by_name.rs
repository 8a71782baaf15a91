//! [`ByName`]: a few values keyed by field name, in name order, as one
//! small list.
//!
//! Every page carries some, for the whole build and for as long as `serve`
//! runs: its taxonomy terms as written, where they are written, their
//! resolved keys. A page names two or three taxonomies, and a `BTreeMap`
//! gives each such map a whole node (about 540 bytes) however few its
//! entries; a list sized to its entries takes about 150. Measured on the
//! benchmark's 10,000 articles × 5 languages: the clean build's peak memory
//! fell from 712–749 MB to 643–674 MB (about 9%; what the build holds
//! after the Markdown pass, 605 → 541 MiB), and serve's from 1,137 to
//! 1,057 MB. Lookups scan the list: a page has a handful of names.

/// Values keyed by name, iterated in name order (as a `BTreeMap` would be).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByName<V> {
    entries: Vec<(String, V)>,
}

impl<V> Default for ByName<V> {
    fn default() -> Self {
        ByName { entries: Vec::new() }
    }
}

impl<V> ByName<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name`'s value, replacing any value it had. The list grows by
    /// exactly one entry (not doubling): it is kept for the whole build.
    pub fn insert(&mut self, name: String, value: V) {
        match self.entries.binary_search_by(|(n, _)| n.as_str().cmp(&name)) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => {
                self.entries.reserve_exact(1);
                self.entries.insert(i, (name, value));
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.into_iter()
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<'a, V> IntoIterator for &'a ByName<V> {
    type Item = (&'a String, &'a V);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&'a (String, V)) -> (&'a String, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(n, v)| (n, v))
    }
}

/// Kept as a list of `[name, value]` pairs (the build cache keeps loaded
/// documents), and read back through [`ByName::insert`], so a list read
/// is in name order whatever order it was written in.
impl<V: serde::Serialize> serde::Serialize for ByName<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(&self.entries)
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for ByName<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pairs = Vec::<(String, V)>::deserialize(deserializer)?;
        let mut map = ByName::new();
        for (name, value) in pairs {
            map.insert(name, value);
        }
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::ByName;

    #[test]
    fn is_kept_as_pairs_and_read_back_in_name_order() {
        let mut map = ByName::new();
        map.insert("tags".to_string(), vec![1]);
        map.insert("regions".to_string(), vec![2, 3]);
        let text = serde_json::to_string(&map).expect("serialize");
        assert_eq!(text, r#"[["regions",[2,3]],["tags",[1]]]"#);
        assert_eq!(
            serde_json::from_str::<ByName<Vec<i32>>>(&text).expect("read"),
            map
        );
        let unordered: ByName<Vec<i32>> =
            serde_json::from_str(r#"[["tags",[1]],["regions",[2,3]]]"#).expect("read");
        assert_eq!(unordered, map);
    }

    #[test]
    fn iterates_in_name_order_and_a_name_is_kept_once() {
        let mut map = ByName::new();
        map.insert("tags".to_string(), 1);
        map.insert("regions".to_string(), 2);
        map.insert("authors".to_string(), 3);
        map.insert("tags".to_string(), 4);
        let names: Vec<(&str, i32)> = map.iter().map(|(n, v)| (n.as_str(), *v)).collect();
        assert_eq!(names, [("authors", 3), ("regions", 2), ("tags", 4)]);
        assert_eq!(map.get("tags"), Some(&4));
        assert_eq!(map.get("tag"), None);
        assert_eq!(map.values().count(), 3);
    }

    #[test]
    fn orders_and_replaces_as_a_btree_map_would() {
        let items = [("b", 1), ("a", 2), ("c", 4), ("b", 3)].map(|(n, v)| (n.to_string(), v));
        let mut map = ByName::new();
        let mut tree = std::collections::BTreeMap::new();
        for (name, value) in items {
            map.insert(name.clone(), value);
            tree.insert(name, value);
        }
        assert!(map.iter().eq(tree.iter()));
        assert!((&map).into_iter().eq(tree.iter()));
    }
}
