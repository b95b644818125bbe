package parties

import (
	"strings"
	"testing"
)

// TestCompareShapes: the shapes of names of issue 21 item 3, pair by pair,
// with no lists loaded (every word weighs as a rare one).
func TestCompareShapes(t *testing.T) {
	for _, c := range []struct {
		a, b, kind string
		band       string  // the band wanted
		max        float64 // the score must stay below it (0: no bound)
		explain    string  // a part of the explanation
	}{
		// legal forms written out, glued, or before the name
		{"Siemens AG", "Siemens Aktiengesellschaft", Entity, Strong, 0, `legal form "ag" = "aktiengesellschaft"`},
		{"SiemensAG", "SIEMENS AG", Entity, Strong, 0, "siemens=siemens"},
		{"AcmeGmbH", "Acme Gesellschaft mit beschränkter Haftung", Entity, Strong, 0, ""},
		{"Alfa SRL", "Alfa Societatea cu Răspundere Limitată", Entity, Strong, 0, ""},
		{"Romashka OOO", "Obshchestvo s ogranichennoy otvetstvennostyu Romashka", Entity, Strong, 0, ""},
		{"OOO Romashka", "Romashka LLC", Entity, Strong, 0, ""},
		// two different legal forms weaken a match
		{"Siemens AG", "Siemens GmbH", Entity, Possible, 0.90, "two different legal forms"},
		{"Alfa SRL", "Alfa SA", Entity, Possible, 0.90, "two different legal forms"},
		{"Kum Un San 2", "KUM UN SAN 3", VesselKind, BandNone, 0, "the numbers differ"},
		// Arabic script, compared by consonants
		{"محمد الجولاني", "Muhammad AL-JAWLANI", Individual, "", 0, "Arabic consonants"},
		{"حزب الله", "HIZBALLAH", Entity, Strong, 0, "Arabic consonants"},
		// short-word typos, and short names that differ are not one
		{"Appel Inc", "Apple Inc", Entity, Possible, 0.90, "appel~apple"},
		{"Snoy", "Sony", Entity, Possible, 0.90, ""},
		{"Kim", "Kin", Individual, BandNone, 0, ""},
		{"Bae", "Bwi", Entity, BandNone, 0, ""},
		{"Lee Min", "Lee Man", Individual, BandNone, 0, ""},
		// numbers and ordinals
		{"1st Trading", "First Trading", Entity, Strong, 0, "first=first"},
		{"Ocean Star No. 39", "OCEAN STAR 39", VesselKind, Strong, 0, ""},
		{"Ocean Star 38", "OCEAN STAR 39", VesselKind, BandNone, 0, ""},
		// a rare family name alone is possible; a common one is not
		{"Rotenberg", "ROTENBERG, Arkady", Individual, Possible, 0.90, "family name alone"},
		// different names that share a beginning are not strong
		{"Castro", "Castillo", Individual, BandNone, 0, ""},
		{"Orbán", "Orbach", Individual, "", 0.90, ""},
		{"BWI", "BAE", Entity, BandNone, 0, ""},
		// Pak and Paek
		{"Pak Chang Ho", "PAEK CHANG-HO", Individual, Strong, 0, "pak~paek"},
		// words moved, DPRK written out, offices of an entity
		{"Ryonbong General Corporation Korea", "KOREA RYONBONG GENERAL CORPORATION", Entity, Strong, 0, ""},
		{"Foreign Trade Bank of the DPRK", "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA", Entity, Strong, 0, ""},
		{"KOMID Hong Kong Branch", "KOMID", Entity, Strong, 0.99, "an office of"},
		{"Tanchon Commercial Bank Shenyang Representative Office", "TANCHON COMMERCIAL BANK", Entity, Strong, 0.99, "an office of"},
		{"Shenyang Representative Office of Tanchon Commercial Bank", "TANCHON COMMERCIAL BANK", Entity, Strong, 0.99, "an office of"},
		// two typing errors in a three-syllable Korean name: review
		{"Kin Yonh Chol", "KIM YONG CHOL", Individual, Possible, 0.90, ""},
		{"Kim Yong Chun", "KIM YONG CHOL", Individual, BandNone, 0, ""},
		// another romanisation; other scripts
		{"Chosun Gwangeop Gaebal Muyeok Hoesa", "KOREA MINING DEVELOPMENT TRADING CORPORATION", Entity, Strong, 0, "gaebal~development"},
		{"朝鲜矿业开发贸易公司", "KOREA MINING DEVELOPMENT TRADING CORPORATION", Entity, Strong, 0, "pinyin"},
		{"金正恩", "KIM, Jong Un", Individual, Strong, 0, "Sino-Korean"},
		{"朝鲜光鲜银行", "KOREA KWANGSON BANKING CORPORATION", Entity, Strong, 0, "Sino-Korean"},
		// issue 19's weak spots: one whole pinyin syllable for another is
		// another Chinese given name (possible at most); a slip of typing
		// inside a syllable is not
		{"Li Fangwen", "LI, Fangwei", Individual, Possible, 0.90, "fangwen~fangwei (spelling 0.76)"},
		{"Wang Xiaoming", "WANG, Xiaoping", Individual, "", 0.90, ""},
		{"李方伟", "LI, Fangwen", Individual, Possible, 0.90, "pinyin"},
		{"Li Fangwie", "LI, Fangwei", Individual, Strong, 0, "fangwie~fangwei"},
		{"Kim Yong Chol", "KIM YONG CHOL", Individual, Strong, 0, ""},
		// Cyrillic х read kh where a list writes a final c
		{"Ростех", "ROSTEC", Entity, Strong, 0, "rostekh~rostec"},
		{"Rostech", "ROSTEC", Entity, Possible, 0, ""},
		// a c inside a word is no k: Marco is not Margo
		{"Marco Trading Co", "MARGO TRADING CO", Entity, "", 0.90, ""},
	} {
		got, err := (*Index)(nil).Compare(c.a, c.b, c.kind)
		if err != nil {
			t.Fatal(err)
		}
		if c.band != "" && got.Band != c.band || c.max > 0 && got.Score >= c.max || !strings.Contains(got.Explanation, c.explain) {
			t.Errorf("%q ~ %q (%s): %.3f %s, want %s (below %.2f) explained with %q: %s", c.a, c.b, c.kind, got.Score, got.Band, c.band, c.max, c.explain, got.Explanation)
		}
	}
	if _, err := (*Index)(nil).Compare("a", "b", "ship"); err == nil {
		t.Error("kind ship: want an error")
	}
	if _, err := (*Index)(nil).Compare("", "b", ""); err == nil {
		t.Error("no first name: want an error")
	}
}

// TestMissedShapesReal: the shapes of issue 19 against the real lists, the
// listed entry found as Search finds it.
func TestMissedShapesReal(t *testing.T) {
	_, _, ix := realLists(t)
	for _, c := range []struct {
		q, kind, want, band string
	}{
		{"RYONBONG GENERAL CORPORATION KOREA", "party", "un:KPe.002", Strong},
		{"KOMID Hong Kong Branch", "party", "un:KPe.001", Strong},
		{"Tanchon Commercial Bank Shenyang Representative Office", "party", "un:KPe.003", Strong},
		{"Foreign Trade Bank of the DPRK", "party", "ofac:SDN-15603", Strong},
		{"Chosun Gwangeop Gaebal Muyeok Hoesa", "party", "un:KPe.001", Strong},
		{"朝鲜矿业开发贸易公司", "party", "un:KPe.001", Strong},
		{"金正恩", "party", "ofac:SDN-20157", Strong},
		{"Kin Yonh Chol", "party", "un:KPi.024", Possible},
		{"Pak Se Bong", "party", "un:KPi.048", Strong},
		{"Daesong Trading", "", "ofac:SDN-", ""},
	} {
		ms := ix.Search(Query{Name: c.q, Kind: c.kind, MinScore: 0.5, Top: 20})
		found := false
		for i, m := range ms {
			if strings.HasPrefix(m.List+":"+m.ID, c.want) && (c.band == "" || m.Strength == c.band && i < 3) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%q: want %s %s among the first three, got %v", c.q, c.want, c.band, comparableMatches(ms))
		}
	}
}
