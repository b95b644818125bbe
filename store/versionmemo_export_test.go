package store

// VersionMemoStats says how many plan version decodings db's memo saved
// and how many it did, and how much it holds.
func VersionMemoStats(db *DB) (hits, misses int64, versions, text int) {
	vm := &db.versions
	vm.mu.Lock()
	defer vm.mu.Unlock()
	return vm.hits, vm.misses, vm.lru.Len(), vm.text
}

// LimitVersionMemo sets the bounds of db's memo (tests).
func LimitVersionMemo(db *DB, text, versions int) {
	db.versions.mu.Lock()
	defer db.versions.mu.Unlock()
	db.versions.maxText, db.versions.maxVersions = text, versions
}
