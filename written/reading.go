package written

import (
	"strings"
	"unicode"
)

// Dictionary holds words of Korean, Chinese and Russian with what a matcher
// reads them as (the English word the lists or the goods lexicon use). Its
// Korean and Chinese words also cut runs of characters written without
// spaces into words (조선광업개발무역회사 = 조선 광업 개발 무역 회사), longest
// word first. Its Russian words are matched by stem, so that their
// inflected forms are found (солёный, солёная, солёного). A Dictionary is
// read-only once made and safe for concurrent use.
type Dictionary struct {
	cjk      map[string]string
	maxRunes int
	stems    map[string]string // Russian stems (lower case, ё as е)
}

// NewDictionary makes a dictionary of words (Hangul, Chinese characters or
// Cyrillic) and their meanings. A meaning "=spelling" is a name, read as
// that spelling in every mode (丹东 "=dandong", 长春 "=changchun").
func NewDictionary(words map[string]string) *Dictionary {
	d := &Dictionary{cjk: map[string]string{}, stems: map[string]string{}}
	for w, m := range words {
		if w = strings.TrimSpace(w); w == "" {
			continue
		}
		if hasScript(w, Cyrillic) {
			d.stems[russianStem(w)] = m
			continue
		}
		d.cjk[w] = m
		if n := len([]rune(w)); n > d.maxRunes {
			d.maxRunes = n
		}
	}
	return d
}

// Words calls fn for each Korean and Chinese word and its meaning.
func (d *Dictionary) Words(fn func(word, meaning string)) {
	if d == nil {
		return
	}
	for w, m := range d.cjk {
		fn(w, m)
	}
}

func hasScript(s, script string) bool {
	for _, r := range s {
		if ScriptOf(r) == script {
			return true
		}
	}
	return false
}

// russianEndings are inflectional endings, longest first.
var russianEndings = []string{
	"ыми", "ими", "ого", "его", "ому", "ему", "ая", "яя", "ое", "ее", "ые", "ие", "ый", "ий", "ой",
	"ую", "юю", "ых", "их", "ым", "им", "ом", "ем", "ам", "ям", "ах", "ях", "ами", "ями", "ов", "ев", "ей",
	"а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
}

// russianStem is a Russian word without its inflectional ending, lower
// case, ё as е. It only has to be consistent: the dictionary and the text
// are stemmed alike.
func russianStem(w string) string {
	w = strings.ReplaceAll(strings.ToLower(w), "ё", "е")
	for _, e := range russianEndings {
		if strings.HasSuffix(w, e) && len([]rune(w))-len([]rune(e)) >= 3 {
			return strings.TrimSuffix(w, e)
		}
	}
	return w
}

// LookAlikeSystem is the System of a reading of Cyrillic or Greek letters
// as the Latin letters they look like.
const LookAlikeSystem = "look-alike Latin letters"

// Mode says what a reading is for.
type Mode uint8

const (
	// Names reads a name: dictionary words in their romanisation (the
	// equivalences of the name matcher know them), Korean syllables of
	// other words apart as the lists write personal names.
	Names Mode = iota
	// Goods reads a goods description: dictionary words as their meaning.
	Goods
)

// Reading is a text in another script read in Latin letters.
type Reading struct {
	Text    string   // in Latin letters (and what was not read, as written)
	Script  string   // the scripts read, "Hangul", "Han", "Cyrillic", "Hangul and Han"
	System  string   // the romanisation, e.g. "McCune-Reischauer"
	Words   []Use    // dictionary words read
	Unknown []string // words in those scripts that no dictionary word explains
}

// Use is one dictionary word read.
type Use struct {
	Written string
	Read    string
}

// Describe says what a reading is, e.g. `Hangul read as "Choson Kwangop
// Kaebal Muyok Hoesa" (McCune-Reischauer)`.
func (r Reading) Describe() string {
	s := r.Script + " read as " + quote(r.Text) + " (" + r.System + ")"
	if len(r.Words) > 0 {
		ws := make([]string, len(r.Words))
		for i, u := range r.Words {
			ws[i] = u.Written + " = " + u.Read
		}
		s += ": " + strings.Join(ws, ", ")
	}
	return s
}

// NeedsReading reports whether s has letters of a script that Readings
// transliterates (Hangul, Han, Cyrillic, Greek).
func NeedsReading(s string) bool {
	if IsASCII(s) {
		return false
	}
	for _, r := range s {
		switch ScriptOf(r) {
		case Hangul, Han, Cyrillic, Greek:
			return true
		}
	}
	return false
}

// Readings reads the Hangul, Chinese characters and Cyrillic of s (already
// Read) in Latin letters. For names there may be several: Hangul in
// McCune-Reischauer and in Revised Romanization, Cyrillic in BGN/PCGN, as
// the Russian transcription of a Korean name, and as the Latin letters
// that Cyrillic or Greek capitals look like. d may be nil.
func Readings(s string, d *Dictionary, mode Mode) []Reading {
	if !NeedsReading(s) && !(mode == Names && !IsASCII(s) && hasScript(s, Arabic)) {
		return nil
	}
	scripts := Scripts(s)
	var out []Reading
	if mode == Goods {
		return []Reading{d.read(s, RevisedRomanization, mode, scripts)}
	}
	if contains(scripts, Hangul) {
		out = append(out, d.read(s, McCuneReischauer, mode, scripts), d.read(s, RevisedRomanization, mode, scripts))
	} else if contains(scripts, Han) || contains(scripts, Cyrillic) {
		out = append(out, d.read(s, "", mode, scripts))
	}
	// 长 is zhang and chang: a name with such a character is read both ways.
	if contains(scripts, Han) && hasOtherReading(s) {
		out = append(out, d.read(s, PinyinOther, mode, scripts))
	}
	if contains(scripts, Arabic) && mode == Names {
		if a := RomaniseArabic(s); a != "" {
			out = append(out, Reading{Text: a, Script: Arabic, System: ArabicLetters})
		}
	}
	if contains(scripts, Han) && len(scripts) == 1 {
		if k, ok := koreanHanName(s); ok {
			out = append(out, Reading{Text: k, Script: Han, System: SinoKorean})
		}
		// The name of a Korean company written in Chinese characters
		// (朝鲜光鲜银行): its words read as the dictionary reads them, its own
		// name by its Korean sounds (Kwangson), as the lists spell it.
		if strings.Contains(s, "朝鲜") || strings.Contains(s, "朝鮮") {
			if r := d.read(s, SinoKorean, mode, scripts); strings.Contains(r.System, SinoKorean) {
				out = append(out, r)
			}
		}
	}
	if contains(scripts, Cyrillic) && len(scripts) == 1 {
		if k, ok := koreanInCyrillic(s); ok {
			out = append(out, Reading{Text: k, Script: Cyrillic, System: Kontsevich})
		}
	}
	if l, ok := LatinLookAlike(s); ok {
		others := []string{}
		for _, sc := range scripts {
			if sc != Latin {
				others = append(others, sc)
			}
		}
		out = append(out, Reading{Text: l, Script: strings.Join(others, " and "), System: LookAlikeSystem})
	}
	return out
}

// read makes one reading of s, Hangul in the given system.
func (d *Dictionary) read(s, hangulSystem string, mode Mode, scripts []string) Reading {
	rd := Reading{}
	var read []string
	var systems []string
	addSystem := func(sys string) {
		if !contains(systems, sys) {
			systems = append(systems, sys)
		}
	}
	var b strings.Builder
	space := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), " ") {
			b.WriteByte(' ')
		}
	}
	runes := []rune(s)
	for i := 0; i < len(runes); {
		r := runes[i]
		sc := ScriptOf(r)
		j := i + 1
		for j < len(runes) && ScriptOf(runes[j]) == sc && (sc == Hangul || sc == Han || sc == Cyrillic) {
			j++
		}
		run := string(runes[i:j])
		switch sc {
		case Hangul:
			addSystem(hangulSystem)
			if !contains(read, Hangul) {
				read = append(read, Hangul)
			}
			space()
			b.WriteString(d.cjkRun(run, mode, &rd, func(w string, known bool) string {
				if known || mode == Goods {
					return RomaniseHangul(w, hangulSystem)
				}
				return strings.Join(hangulSyllables(w, hangulSystem), " ")
			}))
			b.WriteByte(' ')
		case Han:
			if hangulSystem == PinyinOther {
				addSystem(PinyinOther)
			} else {
				addSystem(Pinyin)
			}
			if !contains(read, Han) {
				read = append(read, Han)
			}
			space()
			b.WriteString(d.cjkRun(run, mode, &rd, func(w string, known bool) string {
				// A DPRK company's own name read by its Korean sounds.
				if hangulSystem == SinoKorean && !known {
					if k, ok := koreanHanWord(w); ok {
						addSystem(SinoKorean)
						return k
					}
				}
				ps := hanSyllables(w)
				if hangulSystem == PinyinOther {
					ps = hanSyllablesOther(w)
				}
				whole := w == strings.TrimSpace(s)
				// a personal name alone: family name, then the given name joined
				if !known && whole && mode == Names && (len(ps) == 2 || len(ps) == 3) {
					return ps[0] + " " + strings.Join(ps[1:], "")
				}
				// a proper name of four or six characters that no table
				// knows (长安海连): words of two characters, as company names
				// are made (Chang'an Hailian)
				if !known && mode == Names && len(ps) >= 4 && len(ps)%2 == 0 && len(ps) <= 6 {
					ws := make([]string, 0, len(ps)/2)
					for k := 0; k < len(ps); k += 2 {
						ws = append(ws, ps[k]+ps[k+1])
					}
					return strings.Join(ws, " ")
				}
				return strings.Join(ps, "")
			}))
			b.WriteByte(' ')
		case Cyrillic:
			addSystem(BGNPCGN)
			if !contains(read, Cyrillic) {
				read = append(read, Cyrillic)
			}
			if mode == Goods {
				if m, ok := d.stem(run); ok {
					rd.Words = append(rd.Words, Use{run, m})
					space()
					b.WriteString(m)
					b.WriteByte(' ')
					break
				}
				rd.Unknown = append(rd.Unknown, run)
			}
			b.WriteString(RomaniseCyrillic(run))
		default:
			b.WriteString(run)
		}
		i = j
	}
	rd.Text = strings.Join(strings.Fields(b.String()), " ")
	rd.Script = strings.Join(read, " and ")
	rd.System = strings.Join(systems, ", ")
	return rd
}

func (d *Dictionary) stem(w string) (string, bool) {
	if d == nil {
		return "", false
	}
	m, ok := d.stems[russianStem(w)]
	return m, ok
}

// cjkRun cuts a run of Hangul or Chinese characters into dictionary words,
// longest first, and writes each: known words as their meaning (Goods) or
// through write (Names), the characters between them through write.
func (d *Dictionary) cjkRun(run string, mode Mode, rd *Reading, write func(w string, known bool) string) string {
	rs := []rune(run)
	var parts []string
	unknownFrom := -1
	flush := func(to int) {
		if unknownFrom >= 0 {
			w := string(rs[unknownFrom:to])
			rd.Unknown = append(rd.Unknown, w)
			parts = append(parts, write(w, false))
			unknownFrom = -1
		}
	}
	for i := 0; i < len(rs); {
		n := 0
		meaning := ""
		if d != nil {
			for l := min(d.maxRunes, len(rs)-i); l >= 1; l-- {
				// A one-syllable Korean word is read at the start or the end
				// of a run only: inside one it is more often part of another
				// word (소금 salt holds 금 gold).
				if l == 1 && isHangul(rs[i]) && i > 0 && i < len(rs)-1 {
					continue
				}
				if m, ok := d.cjk[string(rs[i:i+l])]; ok {
					n, meaning = l, m
					break
				}
			}
		}
		if n == 0 {
			if unknownFrom < 0 {
				unknownFrom = i
			}
			i++
			continue
		}
		flush(i)
		w := string(rs[i : i+n])
		if as, ok := strings.CutPrefix(meaning, "="); ok { // a name read as the dictionary spells it
			rd.Words = append(rd.Words, Use{w, as})
			parts = append(parts, as)
		} else if mode == Goods {
			rd.Words = append(rd.Words, Use{w, meaning})
			parts = append(parts, meaning)
		} else {
			rom := write(w, true)
			rd.Words = append(rd.Words, Use{w, rom + " (" + meaning + ")"})
			parts = append(parts, rom)
		}
		i += n
	}
	flush(len(rs))
	return strings.Join(parts, " ")
}

// Title writes each word with a capital, for showing a reading.
func Title(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		ws[i] = string(r)
	}
	return strings.Join(ws, " ")
}
