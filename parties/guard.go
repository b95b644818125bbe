package parties

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/tradeplan/tradeplan"
)

// MaxListLoss is the share of a stored list's entries that a new version
// may drop without being forced. Official lists shed a few entries at a
// time; a tenth gone at once is a truncated download, a wrong file or an
// attack.
const MaxListLoss = 0.10

// maxLostExamples is how many of the entries that would go a refusal names.
const maxLostExamples = 5

// ListChange is what storing a new version of a list would change.
type ListChange struct {
	List       string
	OldVersion string
	NewVersion string
	OldEntries int
	NewEntries int
	Lost       int      // entries of the stored version missing from the new one
	Examples   []string // some of them: "un:KPi.006 PAEK CHANG-HO"
	Older      bool     // the new version's own date is before the stored one's
	// Prev identifies the stored version the change was checked against
	// (its SHA-256; "" when none was stored), for Put.
	Prev string
}

// Share is the share of the stored entries the new version drops.
func (c ListChange) Share() float64 {
	if c.OldEntries == 0 {
		return 0
	}
	return float64(c.Lost) / float64(c.OldEntries)
}

// Refusal says why the change is refused without --force, or "" when it is
// an ordinary update.
func (c ListChange) Refusal() string {
	var why []string
	if c.Older {
		why = append(why, fmt.Sprintf("version %s is older than the stored version %s", c.NewVersion, c.OldVersion))
	}
	if c.Share() > MaxListLoss {
		why = append(why, fmt.Sprintf("it would lose %d of %d entries (%.1f%%, more than the %.0f%% an update may lose)",
			c.Lost, c.OldEntries, 100*c.Share(), 100*MaxListLoss))
	}
	if len(why) == 0 {
		return ""
	}
	msg := fmt.Sprintf("%s list not replaced: %s", c.List, strings.Join(why, "; "))
	if c.Lost > 0 {
		msg += fmt.Sprintf("; %d entries would no longer match, e.g. %s", c.Lost, strings.Join(c.Examples, ", "))
	}
	return msg + "; give --force to replace it anyway"
}

// Summary describes a change that was made, for the import's output.
func (c ListChange) Summary() string {
	s := fmt.Sprintf("%d entries (was %d)", c.NewEntries, c.OldEntries)
	if c.Lost > 0 {
		s += fmt.Sprintf(", %d lost, e.g. %s", c.Lost, strings.Join(c.Examples, ", "))
	}
	if c.Older {
		s += fmt.Sprintf(", older than the version %s it replaced", c.OldVersion)
	}
	return s
}

// CompareLists parses the stored version of a list and a new one and says
// what replacing the first with the second would change.
func CompareLists(old, next tradeplan.Dataset) (ListChange, error) {
	c := ListChange{List: next.Name, OldVersion: old.Version, NewVersion: next.Version}
	ol, err := parseRemembered(old)
	if err != nil {
		return c, fmt.Errorf("read the stored %s list: %w", old.Name, err)
	}
	nl, err := parseRemembered(next)
	if err != nil {
		return c, err
	}
	c.OldEntries, c.NewEntries = len(ol.Entries), len(nl.Entries)
	kept := make(map[string]bool, len(nl.Entries))
	for _, e := range nl.Entries {
		kept[e.ID] = true
	}
	for _, e := range ol.Entries {
		if kept[e.ID] {
			continue
		}
		c.Lost++
		if len(c.Examples) < maxLostExamples {
			c.Examples = append(c.Examples, e.List+":"+e.ID+" "+e.Name)
		}
	}
	c.Older = olderDate(nl.Date, ol.Date)
	return c, nil
}

// olderDate reports whether list date a is before b; lists without a date
// (OFAC's files carry none) are never older.
func olderDate(a, b string) bool {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	return err1 == nil && err2 == nil && ta.Before(tb)
}

// Guard decides whether d may replace the stored version of its list:
// unless force is set, a version older than the stored one or one that
// drops more than MaxListLoss of its entries is refused with an EConflict
// error that says what would be lost. The change is returned either way
// (zero when nothing is stored yet).
func Guard(ctx context.Context, st tradeplan.DatasetStore, d tradeplan.Dataset, force bool) (ListChange, error) {
	old, err := st.Dataset(ctx, KindList, d.Name)
	if tradeplan.ErrorCode(err) == tradeplan.ENotFound {
		return ListChange{List: d.Name, NewVersion: d.Version}, nil
	}
	if err != nil {
		return ListChange{}, fmt.Errorf("read the stored %s list: %w", d.Name, err)
	}
	c, err := CompareLists(old, d)
	c.Prev = old.SHA256
	if c.Prev == "" {
		c.Prev = "version " + old.Version
	}
	if err != nil {
		return c, err
	}
	if why := c.Refusal(); why != "" && !force {
		return c, tradeplan.Errorf(tradeplan.EConflict, "%s", why)
	}
	return c, nil
}

// remembered keeps the last lists parsed for a comparison, by format and
// content hash: an import parses a list to verify it and then compares
// it, and the stored list it is compared with is the same from one import
// to the next. Read only.
var remembered struct {
	sync.Mutex
	keys  [4]string
	lists [4]*ListInfo
	next  int
}

func parseRemembered(d tradeplan.Dataset) (*ListInfo, error) {
	if d.SHA256 == "" {
		return ParseDataset(d)
	}
	key := d.Format + ":" + d.SHA256
	remembered.Lock()
	for i, k := range remembered.keys {
		if k == key {
			l := remembered.lists[i]
			remembered.Unlock()
			return l, nil
		}
	}
	remembered.Unlock()
	l, err := ParseDataset(d)
	if err != nil {
		return nil, err
	}
	remember(key, l)
	return l, nil
}

func remember(key string, l *ListInfo) {
	remembered.Lock()
	defer remembered.Unlock()
	remembered.keys[remembered.next], remembered.lists[remembered.next] = key, l
	remembered.next = (remembered.next + 1) % len(remembered.keys)
}
