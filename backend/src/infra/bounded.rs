//! A map with bounds on its number of entries and their total weight (bytes), forgetting
//! the oldest entries first: the in-process stores of the read path (`memo`, `cache`,
//! `mirror`).

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

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get_mut<Q: Hash + Eq + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: std::borrow::Borrow<Q>,
    {
        self.entries.get_mut(key).map(|(v, _)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.values_mut().map(|(v, _)| v)
    }

    pub fn remove<Q: Hash + Eq + ?Sized>(&mut self, key: &Q)
    where
        K: std::borrow::Borrow<Q>,
    {
        if let Some((_, w)) = self.entries.remove(key) {
            self.weight -= w;
            self.compact();
        }
    }

    /// Keeps the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let weight = &mut self.weight;
        self.entries.retain(|k, (v, w)| {
            let kept = keep(k, v);
            if !kept {
                *weight -= *w;
            }
            kept
        });
        self.compact();
    }

    /// A removed key stays in `order` until it comes up for eviction; when the stale keys
    /// outnumber the live ones they are dropped, so removals never grow the queue unbounded.
    fn compact(&mut self) {
        if self.order.len() > 2 * self.entries.len() + 64 {
            let mut seen = std::collections::HashSet::with_capacity(self.entries.len());
            let entries = &self.entries;
            self.order.retain(|k| entries.contains_key(k) && seen.insert(k.clone()));
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

    #[test]
    fn removed_entries_free_their_weight_and_their_place_in_the_queue() {
        let mut m: Bounded<u32, u32> = Bounded::new(1000, 10_000);
        for round in 0..1000 {
            m.insert(round % 3, round, 5);
            m.remove(&(round % 3));
        }
        assert_eq!((m.entries.len(), m.weight), (0, 0));
        assert!(m.order.len() <= 64 + 1, "the queue holds {} stale keys", m.order.len());
        for k in 0..10 {
            m.insert(k, k, 1);
        }
        m.retain(|k, _| k % 2 == 0);
        *m.get_mut(&4).unwrap() = 40;
        assert_eq!((m.get(&3), m.get(&4), m.weight), (None, Some(40), 5));
    }
}
