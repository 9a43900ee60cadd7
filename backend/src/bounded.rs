//! A map with bounds on its number of entries and their total weight (bytes), forgetting
//! the oldest entries first: the in-process stores of the read path (`memo`, `cache`).

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};

/// A bounded map that forgets its oldest entries first, by count and by weight (bytes).
pub struct Bounded<K, V> {
    entries: HashMap<K, (V, usize)>,
    order: VecDeque<K>,
    weight: usize,
    max_entries: usize,
    max_weight: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> Bounded<K, V> {
    pub fn new(max_entries: usize, max_weight: usize) -> Self {
        Bounded { entries: HashMap::new(), order: VecDeque::new(), weight: 0, max_entries, max_weight }
    }

    pub fn get<Q: Hash + Eq + ?Sized>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.entries.get(key).map(|(v, _)| v.clone())
    }

    pub fn insert(&mut self, key: K, value: V, weight: usize) {
        if weight > self.max_weight {
            return;
        }
        if let Some((_, old)) = self.entries.insert(key.clone(), (value, weight)) {
            self.weight -= old;
        } else {
            self.order.push_back(key);
        }
        self.weight += weight;
        while self.entries.len() > self.max_entries || self.weight > self.max_weight {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some((_, w)) = self.entries.remove(&oldest) {
                self.weight -= w;
            }
        }
    }
}

/// A poisoned lock only means another request panicked mid-insert; the map is still usable.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_entries_go_first_by_count_and_by_weight() {
        let mut m: Bounded<u32, &str> = Bounded::new(2, 10);
        m.insert(1, "a", 4);
        m.insert(2, "b", 4);
        m.insert(3, "c", 4);
        assert_eq!((m.get(&1), m.get(&2), m.get(&3)), (None, Some("b"), Some("c")));
        m.insert(4, "d", 9);
        assert_eq!((m.get(&3), m.get(&4), m.weight), (None, Some("d"), 9));
        m.insert(5, "too heavy", 11);
        assert_eq!(m.get(&5), None);
        m.insert(4, "d again", 2);
        assert_eq!((m.get(&4), m.weight, m.order.len()), (Some("d again"), 2, 1));
    }
}
