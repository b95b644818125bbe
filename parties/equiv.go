package parties

// The equivalence tables of the matcher. They are the project's own data,
// written from the romanisation systems' published rules and from how names
// are spelled in trade documents; see docs/parties.md.

// surnameGroups lists Korean family names by the spellings each is written
// with (McCune-Reischauer as used in the DPRK, Revised Romanization, and the
// common personal spellings). The first spelling names the class.
var surnameGroups = [][]string{
	{"ri", "rhee", "lee", "yi", "i", "li", "rhie", "ree", "reeh"},
	{"pak", "park", "bak", "bahk", "pack"},
	{"paek", "baek", "paik", "baik", "back", "pek", "beak"},
	{"kim", "gim", "keem"},
	{"choe", "choi", "chwe", "choy", "chey"},
	{"jong", "chong", "jeong", "cheong", "chung", "jung", "joung"},
	{"ryu", "yu", "yoo", "you", "ryoo", "lyu", "yoe"},
	{"o", "oh", "oe"},
	{"chang", "jang", "zhang"},
	{"kang", "gang", "khang"},
	{"cho", "jo", "joe", "chough"},
	{"sin", "shin", "shinn"},
	{"yun", "yoon", "youn"},
	{"rim", "lim", "im", "yim", "leem"},
	{"ryang", "yang", "lyang"},
	{"ro", "no", "roh", "noh"},
	{"ryom", "yom", "yeom", "youm"},
	{"ryo", "yo", "yeo", "yuh"},
	{"ko", "go", "koh"},
	{"kwon", "gwon", "kwun"},
	{"kwak", "gwak"},
	{"ku", "gu", "koo"},
	{"so", "seo", "suh", "sou"},
	{"song", "seong", "sung"},
	{"son", "sohn"},
	{"sok", "seok", "suk"},
	{"chon", "jon", "jeon", "chun", "cheon", "jun"},
	{"hyon", "hyeon", "hyun", "hyoun"},
	{"mun", "moon"},
	{"u", "woo", "wu"},
	{"han", "hahn"},
	{"tong", "dong"},
	{"thae", "tae"},
	{"pyon", "byeon", "byun", "pyun"},
	{"ju", "chu", "joo"},
	{"kye", "gye", "kay"},
	{"to", "do", "doh"},
	{"an", "ahn"},
	// Given-name syllables written differently.
	{"chol", "chul", "cheol", "chool"},
	{"yong", "young", "yeong"},
	{"hyok", "hyuk", "hyeok"},
	{"myong", "myung", "myeong"},
	{"kyong", "kyung", "kyeong", "gyong", "gyeong", "gyung"},
	{"hyong", "hyung", "hyeong"},
	{"pyong", "pyung", "byeong", "byong"},
	{"chin", "jin"},
	{"il", "ill"},
}

// wordGroups are words with one meaning in different languages of trade
// names: Chinese pinyin and Korean words for the English generic words, and
// English spellings of one word. The first word names the class.
var wordGroups = [][]string{
	{"trading", "maoyi", "shangmao", "muyok", "muyeok", "trade", "trdg"},
	{"international", "guoji", "intl", "internacional", "internationale"},
	{"industrial", "shiye", "gongye", "industry", "industries", "ind"},
	{"technology", "keji", "tech", "technologies"},
	{"development", "fazhan", "kaifa", "dev"},
	{"investment", "touzi", "investments"},
	{"group", "jituan"},
	{"logistics", "wuliu"},
	{"shipping", "haiyun", "hangyun", "haeun", "shpg"},
	{"management", "mgmt", "mgt"},
	{"national", "natl"},
	{"association", "assn", "assoc"},
	{"engineering", "engg"},
	{"mining", "kuangye", "kwangop", "kwangeop"},
	{"import", "jinkou"},
	{"export", "chukou"},
	{"importexport", "jinchukou"},
	{"china", "zhongguo"},
	{"ocean", "yuanyang"},
	{"bank", "yinhang", "unhaeng", "eunhaeng", "banking"},
	{"machinery", "jixie"},
	{"chemical", "huagong"},
	{"electronics", "dianzi", "electronic"},
	{"commercial", "shangye"},
	{"economic", "jingji"},
	{"general", "gen"},
	{"korea", "choson", "chosun", "joseon", "dprk", "coree", "corea"},
	{"first", "premier"},
	{"centre", "center", "ctr"},
}

// legalFormGroups are legal forms, written as Normalize leaves them; forms in
// one group are the same kind of company. They are set aside from a name and
// compared apart.
var legalFormGroups = [][]string{
	{"company limited", "co ltd", "co limited", "company ltd", "ltd", "limited", "co ltd co",
		"youxian gongsi", "youxiangongsi", "youxian zeren gongsi", "pte ltd", "pvt ltd", "private limited",
		"pty ltd", "sdn bhd", "plc", "llc", "l l c", "limited liability company", "ooo", "tov", "kk", "yk"},
	{"corporation", "corp", "company", "co", "inc", "incorporated", "gongsi", "hoesa", "chonghoesa"},
	{"jsc", "ojsc", "cjsc", "pjsc", "ao", "oao", "zao", "pao", "joint stock company", "open joint stock company",
		"closed joint stock company", "public joint stock company", "gufen youxian gongsi", "ag", "sa", "sas",
		"sa de cv", "s de rl de cv", "spa", "nv", "bv", "gmbh", "sarl", "srl", "sl", "fze", "fzco", "fzc", "fz llc", "dmcc", "lda", "as"},
	{"llp", "lp", "partnership"},
}

// genericWords are words that many designated names share; they weigh little.
var genericWords = setOf(
	"trading", "general", "international", "industrial", "development", "group", "shipping",
	"management", "import", "export", "importexport", "commercial", "commerce", "technology",
	"investment", "joint", "venture", "service", "services", "bank", "enterprise", "enterprises",
	"holding", "holdings", "korea", "korean", "dprk", "china", "ocean", "maritime", "marine",
	"logistics", "economic", "cooperation", "association", "committee", "bureau", "ministry",
	"department", "office", "agency", "national", "central", "state", "new", "global", "mining",
	"machinery", "chemical", "electronics", "centre", "equipment", "materials", "material",
	"products", "energy", "oil", "petroleum", "shipping", "navigation", "transport", "foreign",
	"united", "unity", "first", "second", "star", "sea", "union", "world", "asia", "pacific",
	"metal", "metallic", "steel", "resources", "construction", "engineering", "research",
	"institute", "science", "sciences", "branch", "representative", "affiliate",
	"the", "of", "and", "for", "de", "del", "la", "le", "el", "al", "und", "et", "y",
)

// placeNames are Chinese and Korean places that prefix company names
// ("Dandong Hongxiang Industrial Development"); they weigh little.
var placeNames = setOf(
	"dandong", "hunchun", "shenyang", "dalian", "yanbian", "yanji", "tumen", "jilin", "liaoning",
	"beijing", "shanghai", "shenzhen", "guangzhou", "qingdao", "tianjin", "zhuhai", "hongkong",
	"hong", "kong", "macau", "macao", "harbin", "changchun", "ningbo", "xiamen", "fuzhou", "wuhan",
	"nanjing", "hangzhou", "rizhao", "yantai", "weihai", "longkou", "zhoushan", "taizhou", "hebei",
	"shandong", "heilongjiang", "suifenhe", "jian", "linjiang", "changbai", "quanzhou", "guangdong",
	"fujian", "zhejiang", "jiangsu", "pyongyang", "nampho", "nampo", "chongjin", "rason", "rajin",
	"sinuiju", "wonsan", "hamhung", "haeju", "kaesong", "songrim", "hyesan", "manpo", "singapore",
	"vladivostok", "nakhodka", "khabarovsk",
)

var (
	surnameClass  = classes(surnameGroups)
	wordClassBase = classes(wordGroups)
	legalForms    = func() map[string]string {
		m := classes(legalFormGroups)
		for f, cls := range legalSpelledOut {
			if _, ok := m[f]; !ok {
				m[f] = cls
			}
		}
		return m
	}()
	// wordClass is wordGroups with the romanisations of the Korean and
	// Chinese words of nameWords; it adds their legal forms to legalForms.
	wordClass = func() map[string]string {
		ws, ls := scriptWordClasses()
		m := make(map[string]string, len(wordClassBase)+len(ws))
		for w, c := range wordClassBase {
			m[w] = c
		}
		for w, c := range ws {
			if _, ok := m[w]; !ok {
				m[w] = c
			}
		}
		for w, c := range ls {
			if _, ok := legalForms[w]; !ok {
				legalForms[w] = c
			}
		}
		return m
	}()
)

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func classes(groups [][]string) map[string]string {
	m := map[string]string{}
	for _, g := range groups {
		for _, w := range g {
			if _, dup := m[w]; !dup {
				m[w] = g[0]
			}
		}
	}
	return m
}
