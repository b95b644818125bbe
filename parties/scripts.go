package parties

import (
	"strings"

	"github.com/tradeplan/tradeplan/written"
)

// nameWords are words of company and organisation names written in Korean
// (Hangul) and Chinese (simplified and traditional characters), with the
// English word the UN and OFAC lists write for them. They are the project's
// own table, from how designated names are spelled on the lists and in
// trade documents (see docs/parties.md). A name in those scripts is cut into
// these words, romanised, and each word's romanisation joins the English
// word's class in the matcher, so that 조선광업개발무역회사, read as Choson
// Kwangop Kaebal Muyok Hoesa, meets "Korea Mining Development Trading
// Corporation". A meaning "=spelling" is a place, read as the lists spell it.
var nameWords = map[string]string{
	// Korean
	"조선": "korea", "무역": "trading", "은행": "bank", "회사": "corporation", "총회사": "corporation",
	"개발": "development", "해운": "shipping", "광업": "mining", "상사": "trading", "합영": "joint venture",
	"합작": "joint venture", "공사": "corporation", "기술": "technology", "국제": "international",
	"투자": "investment", "수출입": "importexport", "상업": "commercial", "공업": "industrial",
	"산업": "industrial", "기계": "machinery", "설비": "equipment", "석유": "petroleum", "화학": "chemical",
	"수산": "fisheries", "해양": "maritime", "선박": "shipping", "운수": "transport", "금속": "metal",
	"전자": "electronics", "건설": "construction", "연구소": "institute", "위원회": "committee",
	"대외": "foreign", "경제": "economic", "협력": "cooperation", "신용": "credit", "중앙": "central",
	"국가": "national", "련합": "association", "연합": "association", "무역은행": "foreign trade bank",
	"지도국": "bureau", "총국": "bureau", "그룹": "group", "봉사": "service",
	// Chinese, simplified and traditional
	"有限公司": "co ltd", "有限责任公司": "co ltd", "有限責任公司": "co ltd", "股份有限公司": "jsc",
	"公司": "corporation", "集团": "group", "集團": "group", "实业": "industrial", "實業": "industrial",
	"发展": "development", "發展": "development", "开发": "development", "開發": "development", "国际": "international", "國際": "international",
	"贸易": "trading", "貿易": "trading", "商贸": "trading", "商貿": "trading", "进出口": "importexport",
	"進出口": "importexport", "船务": "shipping", "船務": "shipping", "海运": "shipping", "海運": "shipping",
	"航运": "shipping", "航運": "shipping", "物流": "logistics", "科技": "technology", "技术": "technology",
	"技術": "technology", "投资": "investment", "投資": "investment", "金属材料": "metallic material",
	"金屬材料": "metallic material", "材料": "material", "金属": "metal", "金屬": "metal", "银行": "bank",
	"銀行": "bank", "矿业": "mining", "礦業": "mining", "机械": "machinery", "機械": "machinery",
	"化工": "chemical", "电子": "electronics", "電子": "electronics", "能源": "energy", "石油": "petroleum",
	"工业": "industrial", "工業": "industrial", "商业": "commercial", "商業": "commercial",
	"经济": "economic", "經濟": "economic", "合作": "cooperation", "中国": "china", "中國": "china",
	"朝鲜": "korea", "朝鮮": "korea", "海洋": "ocean", "远洋": "ocean", "遠洋": "ocean", "能源科技": "energy technology",
	// places, as the lists spell them
	"丹东": "=dandong", "丹東": "=dandong", "沈阳": "=shenyang", "瀋陽": "=shenyang", "大连": "=dalian",
	"大連": "=dalian", "珲春": "=hunchun", "琿春": "=hunchun", "延吉": "=yanji", "图们": "=tumen",
	"圖們": "=tumen", "吉林": "=jilin", "辽宁": "=liaoning", "遼寧": "=liaoning", "北京": "=beijing",
	"上海": "=shanghai", "深圳": "=shenzhen", "广州": "=guangzhou", "廣州": "=guangzhou", "青岛": "=qingdao",
	"青島": "=qingdao", "天津": "=tianjin", "香港": "=hong kong", "哈尔滨": "=harbin", "哈爾濱": "=harbin",
	"长春": "=changchun", "長春": "=changchun", "宁波": "=ningbo", "寧波": "=ningbo", "厦门": "=xiamen",
	"廈門": "=xiamen", "烟台": "=yantai", "煙台": "=yantai", "威海": "=weihai", "山东": "=shandong",
	"山東": "=shandong", "平壤": "=pyongyang", "南浦": "=nampo", "新义州": "=sinuiju", "新義州": "=sinuiju",
	"罗先": "=rason", "羅先": "=rason",
}

// nameDict cuts and reads names written in Hangul and Chinese characters.
var nameDict = written.NewDictionary(nameWords)

// scriptWordClasses are the romanisations of nameWords (McCune-Reischauer
// and Revised Romanization of the Korean words, pinyin of the Chinese),
// each with the class of its English word: added to wordClass and
// legalForms.
func scriptWordClasses() (words, legal map[string]string) {
	words, legal = map[string]string{}, map[string]string{}
	nameDict.Words(func(w, meaning string) {
		if strings.HasPrefix(meaning, "=") {
			return
		}
		var roms []string
		for _, sys := range []string{written.McCuneReischauer, written.RevisedRomanization} {
			if r := written.RomaniseHangul(w, sys); r != w {
				roms = append(roms, r)
			}
		}
		if len(roms) == 0 {
			roms = append(roms, written.RomaniseHan(w))
		}
		for _, r := range roms {
			r = Normalize(r)
			if cls, ok := legalForms[meaning]; ok {
				legal[r] = cls
				continue
			}
			cls := meaning
			if strings.Contains(meaning, " ") {
				// several English words for one: they pair written together
				cls = strings.ReplaceAll(meaning, " ", "")
			}
			if c, ok := wordClassBase[meaning]; ok {
				cls = c
			}
			words[r] = cls
		}
	})
	return words, legal
}

// queryForm is one way of reading a query name.
type queryForm struct {
	nf        nameForm
	spans     []span
	how       string  // how the name was read, for the explanation ("" as written)
	factor    float64 // what a match of this form is worth (an office of an entity: a little less)
	factorWhy string
}

// queryForms reads a query name: as written (through package written,
// which reads look-alike letters among Latin ones as Latin), and, when it
// is written in Hangul, Chinese characters or Cyrillic, in each of its
// Latin readings.
func (ix *Index) queryForms(raw, qnorm string, person bool) []queryForm {
	var forms []queryForm
	add := func(n, how string, arabic bool) {
		if n == "" {
			return
		}
		for _, f := range forms {
			if f.nf.norm == n {
				return
			}
		}
		nf := parseName(n, person)
		nf.arabic = arabic
		ix.setWeights(&nf)
		forms = append(forms, queryForm{nf: nf, spans: makeSpans(nf.toks), how: how, factor: 1})
		// An office of an entity ("KOMID Hong Kong Branch") is screened as
		// the entity too.
		if person {
			return
		}
		if last := n[strings.LastIndexByte(n, ' ')+1:]; !officeLast[last] && !strings.Contains(n, " of ") {
			return
		}
		if p := parentOf(strings.Fields(n)); len(p) > 0 {
			pn := strings.Join(p, " ")
			for _, f := range forms {
				if f.nf.norm == pn {
					return
				}
			}
			nf := parseName(pn, false)
			if len(nf.toks) == 0 {
				return
			}
			ix.setWeights(&nf)
			forms = append(forms, queryForm{nf: nf, spans: makeSpans(nf.toks), factor: factorOffice,
				how:       how + "read as an office of " + strconvQuote(pn) + "; ",
				factorWhy: "an office of the listed entity"})
		}
	}
	if written.IsASCII(raw) {
		add(qnorm, "", false)
		return forms
	}
	t := written.Read(raw)
	how := ""
	if t.Changed() {
		how = "name as written " + strconvQuote(raw) + " read as " + strconvQuote(t.Read) + " (" + t.Summary() + "); "
	}
	add(qnorm, how, false)
	for _, r := range written.Readings(t.Read, nameDict, written.Names) {
		r.Text = written.Title(r.Text) // shown as a name: "Choson Kwangop Kaebal Muyok Hoesa"
		add(Normalize(r.Text), how+r.Describe()+"; ", r.System == written.ArabicLetters)
	}
	return forms
}

// factorOffice is what a match of an entity's office with the entity is
// worth: a branch acts for the listed entity, and is a little less sure.
const factorOffice = 0.97

func strconvQuote(s string) string { return "\u201c" + s + "\u201d" }
