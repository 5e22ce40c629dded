"""Word lists the parser matches against: key words for typo repair, platforms and shapes,
Chinese music moods, sports events, and the verbs that start a new edit inside one sentence.

Kept apart from the parser so that adding a platform or a synonym is a one-line change.
"""

from __future__ import annotations

import difflib
import re

# words a typo may be mended to ("verticle" -> "vertical", "tittle" -> "title", "musci" -> "music")
FUZZY_TARGETS = tuple(
    """vertical horizontal portrait landscape square title titles music captions caption
    subtitles subtitle transition transitions crossfade remove delete replace louder quieter
    volume original audio sound second third fourth fifth sixth seventh eighth ninth tenth
    minute minutes seconds clip clips intro outro slow motion export upload credits status
    lofi upbeat epic calm happy dramatic cinematic background mute unmute shorter longer
    shorten trim move swap instagram tiktok youtube reels shorts story stories fade black
    highlight goals crowd cheers touchdown replay resolution length download render balance
    tracks preview""".split()
)
# correctly spelt words near a target that must not be "mended" into it
_KEEP = set(
    """short start first final third there these those three where story whole quiet cheer
    slower faster after title story louds mutes minute second tracks track remote moves
    mover moved removed loader softer lower other below about clear clean video little audios
    vertically squares titled sounds uploaded uploads uploading previews previewed""".split()
)
_WORD = re.compile(r"[A-Za-z]{5,}")


def mend_typos(text: str) -> str:
    """Replace misspelt key words with the word meant; other words and letter case stay."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in _KEEP or low in FUZZY_TARGETS:
            return word
        close = difflib.get_close_matches(low, FUZZY_TARGETS, n=1, cutoff=0.8)
        return close[0] if close else word

    return _WORD.sub(fix, text)


# (pattern, aspect): explicit shapes win over platforms, so "square for Instagram" is 1:1
SHAPES: tuple[tuple[str, str], ...] = (
    (r"\b9\s*[:x×/]\s*16\b|9比16", "9:16"),
    (r"\b16\s*[:x×/]\s*9\b|16比9", "16:9"),
    (r"\b1\s*[:x×/]\s*1\b|1比1", "1:1"),
    (r"\b4\s*[:x×/]\s*5\b|4比5", "4:5"),
    (r"\bvertical(?:ly)?\b|\bportrait\b|\bupright\b|竖屏|竖版|竖向|竖幅|竖的|竖着|竖过来", "9:16"),
    (r"\bhorizontal(?:ly)?\b|\blandscape\b|\bwide ?screen\b|横屏|横版|横向|横幅|横的|宽屏", "16:9"),
    (r"\bsquare\b|正方形|方形|方屏", "1:1"),
    (r"\boriginal (?:aspect|shape|ratio|format|size)\b|原始比例|原比例|原始画幅|原画幅", "source"),
)
PLATFORMS: tuple[tuple[str, str], ...] = (
    (r"\b(?:instagram|insta|ig)\s+(?:post|feed)s?\b|小红书", "4:5"),
    (
        r"\btik ?tok\b|\bdouyin\b|\breels\b|\b(?:instagram|insta|ig) reels?\b|\bshorts\b"
        r"|\b(?:instagram|insta|ig|facebook|fb|snapchat|whatsapp|my)\s+stor(?:y|ies)\b"
        r"|\bstories\b|\bsnapchat\b|抖音|快手|视频号|手机竖屏",
        "9:16",
    ),
    (r"\binstagram\b|\binsta\b", "9:16"),
    (r"\byou ?tube\b|\bbilibili\b|b\s*站|西瓜视频|\btv\b|电视", "16:9"),
)
HEIGHT_WORDS: tuple[tuple[str, int], ...] = (
    (r"\bfull[\s-]?hd\b|\bfhd\b|全高清|超清|蓝光", 1080),
    (r"\bhd\b|高清", 720),
    (r"\bsd\b|标清", 480),
)
REFRAMES: tuple[tuple[str, str], ...] = (
    (r"\bblur(?:red|ry)?\b|模糊", "blur"),
    (
        r"\bcent(?:er|re)(?:d)?(?: crop)?\b|\bcrop (?:in )?(?:the )?(?:middle|center|centre)\b|居中|中心裁剪",
        "center",
    ),
    (
        r"\bfollow(?:s|ing)? the (?:action|ball|player|subject)\b|\btrack(?:s|ing)? the (?:action|ball|player|subject)\b|跟随|跟踪|追踪",
        "follow",
    ),
)

# Chinese words for the built-in moods (English ones go through reelcut.music.resolve_mood)
ZH_MOODS: tuple[tuple[str, str], ...] = (
    (r"lofi|低保真|chill|慵懒|学习|爵士", "lofi"),
    (r"轻音乐|舒缓|放松|安静|平静|柔和|温柔|轻柔|治愈|钢琴", "calm"),
    (r"激昂|史诗|热血|燃|大气|震撼|恢弘|宏大|励志|电影感", "epic"),
    (r"欢快|快乐|开心|愉快|轻快|可爱|阳光|活泼", "happy"),
    (r"动感|劲爆|节奏感|活力|嗨|电音|流行|运动|带感", "upbeat"),
    (r"紧张|悬疑|戏剧|伤感|悲伤|深沉|黑暗|感人", "dramatic"),
    (r"背景", "calm"),
)
DEFAULT_MOOD = "upbeat"  # "add music" with no mood: a highlight reel is usually upbeat

# sports and game events, as said, to one English keyword selection can look for
EVENTS: tuple[tuple[str, str], ...] = (
    (r"\bgoals?\b|进球", "goal"),
    (r"\btouchdowns?\b|达阵", "touchdown"),
    (r"\bdunks?\b|\bslam dunks?\b|扣篮", "dunk"),
    (r"\bthree[\s-]?pointers?\b|\bthrees\b|三分球|三分", "three-pointer"),
    (r"\bbaskets?\b|投篮", "basket"),
    (r"\bhome ?runs?\b|全垒打|本垒打", "home run"),
    (r"\bknock ?outs?\b|\bkos\b|击倒", "knockout"),
    (r"\bsaves?\b|扑救", "save"),
    (r"\btackles?\b|铲球", "tackle"),
    (r"\bwickets?\b", "wicket"),
    (r"\bpenalt(?:y|ies)\b|点球", "penalty"),
    (r"\bblocks?\b|盖帽", "block"),
    (r"\bsteals?\b|抢断", "steal"),
    (r"\baces?\b|发球得分", "ace"),
    (r"\bkills?\b|击杀", "kill"),
    (r"\btricks?\b|特技", "trick"),
    (r"\bjumps?\b|跳跃", "jump"),
    (r"\bcrash(?:es)?\b|撞车", "crash"),
    (r"\bbuzzer[\s-]?beaters?\b|绝杀", "buzzer-beater"),
    (r"\bscor(?:es|ing)\b|得分", "score"),
    (r"射门", "shot"),
)

# a verb after "and"/"和" starts a new edit ("make it vertical and add music")
EN_VERBS = (
    "add make put use set change remove delete drop cut trim mute unmute move swap replace turn "
    "give slow show include keep only focus fade crossfade rename call title lower raise "
    "increase decrease reduce boost insert apply switch shorten lengthen extend compile get "
    "export render lose skip play throw bring let please also then no don't do i"
).split()
ZH_VERBS = "把加给换删去调设用做改放弄配"

# words several edit families share (regular expressions over folded text)
CLIP_NOUN = r"clips?|shots?|scenes?|segments?|片段|镜头"
REMOVE = (
    r"\b(?:remove|delete|drop|get rid of|take (?:off|out|away)|lose|hide|clear|kill|erase|ditch"
    r"|cut out|without|no|don't want|do not want|turn off|switch off|disable|stop)\b"
    r"|去掉|删掉|删除|删了|不要|移除|取消|拿掉|去除|关掉|关闭|清除|隐藏|砍掉"
)
CHANGE = r"\b(?:change|rename|edit|update|replace|switch|fix|make the title)\b|改|换|更改|修改|设为|设成|叫"
ADD = r"\b(?:add|put|insert|give|include|create|with)\b|加|添加|加上|放"
MUSIC = r"\bmusic\b|\bsongs?\b|\bsoundtrack\b|\bbgm\b|\btunes?\b|\bbeats?\b|音乐|配乐|背景乐|曲子|歌曲|\bsong\b|歌"
ORIGINAL = (
    r"\boriginal\b(?!\s+(?:aspect|shape|ratio|format|size))"
    r"|\b(?:source|game|clip|video|camera|natural|live|ambient|crowd|stadium|footage)"
    r"(?:'s)?\s+(?:audio|sound|noise)s?\b|\bbackground noise\b|\bcommentary\b|\bcommentator\b"
    r"|\bvoices?\b|\baudio\b|\bsound\b|\bcrowd\b|原声|原音|原视频的?声音|现场声|视频的?声音|解说|人声|环境声"
    r"|原始音频|声音"
)
LOUDER = (
    r"\blouder\b|\bturn (?:it |the \w+ )?up\b|\braise\b|\bincrease\b|\bboost\b|\bmore volume\b"
    r"|\bhigher\b|大声|大一点|大点|大些|响一点|响点|调高|调大|提高|加大|增大|大一些"
)
QUIETER = (
    r"\bquieter\b|\bsofter\b|\bturn (?:it |the \w+ )?down\b|\blower\b|\bdecrease\b|\breduce\b"
    r"|\bless volume\b|\bquieten\b|小声|小一点|小点|小些|轻一点|轻点|调低|调小|降低|减小|低一点|小一些"
)
MUTE = r"\bmute\b|\bsilence\b|静音|消音"
UNMUTE = r"\bunmute\b|\brestore\b|\bbring back\b|\bturn on\b|\bback on\b|恢复|打开|开启|取消静音"
