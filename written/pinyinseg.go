package written

import (
	"strings"
	"sync"
)

// pinyinSyllableList is every syllable of Mandarin as pinyin writes it
// without tones (ü as u), as the pinyin dictionary of go-pinyin reads,
// less the interjections m, n, ng, hm and hng, which would split other
// languages' words (kim as ki m).
const pinyinSyllableList = "" +
	"a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca " +
	"cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua " +
	"chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den " +
	"deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang " +
	"fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang " +
	"gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun " +
	"huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken " +
	"keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian " +
	"liang liao lie lin ling liu lo long lou lu luan lue lun luo ma mai man mang mao me mei men " +
	"meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nia " +
	"nian niang niao nie nin ning niu nong nou nu nuan nue nun nuo o ou pa pai pan pang pao pei pen " +
	"peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan " +
	"que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao se sen " +
	"seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun " +
	"shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ting tong " +
	"tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin " +
	"xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai " +
	"zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu " +
	"zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo "

// pinyinSet is pinyinSyllableList as a set, made once.
var pinyinSet = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(pinyinSyllableList) {
		m[s] = true
	}
	return m
})

// PinyinSyllables splits a lower-case Latin word into pinyin syllables
// (fangwei -> fang wei), preferring the fewest syllables; ok is false when
// it is not a run of pinyin syllables.
func PinyinSyllables(w string) (syl []string, ok bool) {
	var cuts [41]int
	n := pinyinCuts(w, &cuts)
	if n == 0 {
		return nil, false
	}
	syl = make([]string, n)
	for k := 0; k < n; k++ {
		syl[k] = w[cuts[k]:cuts[k+1]]
	}
	return syl, true
}

// pinyinCuts writes where the syllables of w start, and its length last,
// into cuts, returning the number of syllables (0 when w is not a run of
// pinyin syllables). It allocates nothing.
func pinyinCuts(w string, cuts *[41]int) int {
	n := len(w)
	if n == 0 || n > 40 {
		return 0
	}
	set := pinyinSet()
	// best[i]: fewest syllables for w[:i]; from[i]: where the last one starts
	var best, from [41]int
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := max(0, i-6); j < i; j++ {
			if (j == 0 || best[j] >= 0) && set[w[j:i]] && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i], from[i] = best[j]+1, j
			}
		}
	}
	k := best[n]
	if k < 0 {
		return 0
	}
	cuts[k] = n
	for i := n; i > 0; i = from[i] {
		k--
		cuts[k] = from[i]
	}
	return best[n]
}

// OtherPinyinSyllable reports whether two words are runs of pinyin
// syllables of the same count that differ in exactly one whole syllable
// (fangwei, fangwen): in a Chinese given name that is another name, not a
// slip of spelling.
func OtherPinyinSyllable(a, b string) bool {
	var ca, cb [41]int
	na := pinyinCuts(a, &ca)
	if na < 2 || na != pinyinCuts(b, &cb) {
		return false
	}
	diff := 0
	for k := 0; k < na; k++ {
		if a[ca[k]:ca[k+1]] != b[cb[k]:cb[k+1]] {
			diff++
		}
	}
	return diff == 1
}
