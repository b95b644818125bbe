package written

import "strings"

// SinoKorean is the System of a reading of a Korean name written in Chinese
// characters (Hanja) by their Korean sounds.
const SinoKorean = "Sino-Korean reading, McCune-Reischauer"

// hanjaPairs are characters of Korean family and given names, each followed
// by its Korean sound in Hangul: the project's own table of the characters
// common in the names of the DPRK and of Koreans in China, simplified and
// traditional forms alike. A name of two to four characters that begins
// with a family name here and whose characters are all here is also read
// as a Korean name (金正恩 → Kim Jong Un), beside its pinyin (Jin Zhengen).
const hanjaPairs = "" +
	// family names
	"金김李리朴박崔최鄭정郑정姜강趙조赵조尹윤張장张장林림韓한韩한吳오吴오申신徐서權권权권" +
	"黃황黄황安안宋송柳류洪홍全전高고文문梁량孫손孙손白백許허许허南남沈심盧로卢로河하" +
	"丁정成성車차车차具구玄현太태方방馬마马마延연明명池지奇기禹우康강邊변边변吉길桂계" +
	"石석秋추朱주任임田전辛신表표千천蔡채魏위廉렴呂려吕려玉옥孔공卓탁咸함劉류刘류" +
	"元원陳진陈진蘇소苏소羅라罗라楊양杨양黎려魯로鲁로琴금閔민闵민裵배裴배奉봉" +
	// given-name characters
	"正정恩은日일哲철鐵철铁철徹철男남英영永영龍룡龙룡光광明명浩호虎호鎬호鎭진鎮진镇진" +
	"植식國국国국春춘東동东동洙수秀수壽수寿수順순顺순淑숙姬희姫희熙희喜희勇용容용" +
	"賢현贤현鉉현铉현赫혁革혁元원源원三삼山산善선先선仙선心심仁인寅인一일錫석锡석" +
	"碩석硕석海해學학学학鶴학鹤학相상尙상尚상祥상萬만万만民민敏민珉민世세泰태宇우" +
	"雨우周주柱주俊준峻준昌창進진进진真진眞진基기起기京경慶경庆경景경敬경大대德덕" +
	"道도斗두洛락樂락乐락亮량良량烈렬列렬立립武무美미福복奉봉鳳봉凤봉富부松송" +
	"淳순承승勝승胜승信신新신實실实실愛애爱애陽양阳양洋양彦언淵연渊연然연燁엽烨엽" +
	"榮영荣영完완旺왕雲운云운銀은银은義의义의益익載재载재在재宗종鍾종钟종重중中중" +
	"志지智지之지振진集집燦찬灿찬贊찬赞찬天천忠충治치七칠平평弼필漢한汉한亨형" +
	"炯형惠혜浩호弘홍花화華화华화化화和화煥환焕환會회会회孝효勳훈勋훈輝휘辉휘" +
	"興흥兴흥範범范범峰봉逢봉秉병炳병丙병福복鐘종成성星성聖성圣성守수洙수秀수" +
	"植식湜식淑숙俊준仲중重중哲철喆철正정貞정贞정廷정政정靜정静정晶정井정" +
	"彬빈斌빈賓빈宾빈麟린林림禮례礼례龜구寬관宽관官관觀관观관冠관鐸탁泳영瑛영" +
	"鉄철錦금锦금今금根근槿근起기琪기麒기吉길男남蘭란兰란來래来래玲령鈴령铃령" +
	"雄웅熊웅元원原원遠원远원月월有유裕유允윤潤윤润윤胤윤殷은乙을音음應응应응" +
	"翼익寅인璋장章장長장长장哉재才재材재赤적全전傳전传전殿전典전珠주鮮선鲜선" +
	"恒항桓환玟민旻민晩만晚만"

var hanjaSound, hanjaSurname = func() (map[rune]string, map[rune]bool) {
	sound, sur := map[rune]string{}, map[rune]bool{}
	rs := []rune(hanjaPairs)
	given := []rune(hanjaPairs[strings.Index(hanjaPairs, "正정恩"):])
	surEnd := len(rs) - len(given)
	for i := 0; i+1 < len(rs); i += 2 {
		if _, ok := sound[rs[i]]; !ok {
			sound[rs[i]] = string(rs[i+1])
		}
		if i < surEnd {
			sur[rs[i]] = true
		}
	}
	return sound, sur
}()

// koreanHanName reads a name of two to four Chinese characters as a Korean
// name, family name first, each given-name syllable apart as the lists write
// them ("kim jong un"), when the table knows every character and the first
// is a family name.
func koreanHanName(s string) (string, bool) {
	rs := []rune(strings.TrimSpace(s))
	if len(rs) < 2 || len(rs) > 4 || !hanjaSurname[rs[0]] {
		return "", false
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		h, ok := hanjaSound[r]
		if !ok {
			return "", false
		}
		parts[i] = RomaniseHangul(h, McCuneReischauer)
	}
	return strings.Join(parts, " "), true
}

// koreanHanWord reads a word of Chinese characters by the Korean sounds of
// its characters, written together (光鲜 → kwangson), when the table knows
// every character.
func koreanHanWord(w string) (string, bool) {
	var b strings.Builder
	for _, r := range w {
		h, ok := hanjaSound[r]
		if !ok {
			return "", false
		}
		b.WriteString(RomaniseHangul(h, McCuneReischauer))
	}
	return b.String(), b.Len() > 0
}
