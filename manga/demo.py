"""The demo manga: well-known sources of anime in the demo catalog, and a few manga made from
anime, with the facts about them that are settled (unknown counts stay unknown).

Anime are named by their slug in the demo catalog; an anime the catalog lacks is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from catalog.models import Anime, CatalogVersion, Tag, TitleKind
from manga.models import (
    AnimeMangaRelation,
    Author,
    AuthorRole,
    Manga,
    MangaAuthor,
    MangaKind,
    MangaRelation,
    MangaTitle,
    PublishingStatus,
)

ART = AuthorRole.ART
STORY = AuthorRole.STORY
ORIGINAL = AuthorRole.ORIGINAL_CREATOR
FINISHED = PublishingStatus.FINISHED
PUBLISHING = PublishingStatus.PUBLISHING
HIATUS = PublishingStatus.HIATUS
JAPANESE = TitleKind.JAPANESE
ENGLISH = TitleKind.ENGLISH


@dataclass(frozen=True)
class DemoManga:
    title: str
    # An author alone is credited for story and art; (name, role) otherwise.
    authors: tuple[str | tuple[str, str], ...]
    start_year: int | None
    end_year: int | None = None
    status: str | None = None
    volumes: int | None = None
    chapters: int | None = None
    kind: str = MangaKind.MANGA
    japanese: str = ""
    english: str = ""
    tags: tuple[str, ...] = ()
    synopsis: str = ""
    # The anime it is the source of; `related` for any other relation (slug, relation).
    source_of: tuple[str, ...] = ()
    related: tuple[tuple[str, str], ...] = ()

    def relations(self) -> list[tuple[str, str]]:
        return [(slug, MangaRelation.SOURCE) for slug in self.source_of] + list(self.related)


DEMO_MANGA = [
    DemoManga(
        "Fullmetal Alchemist",
        ("Hiromu Arakawa",),
        2001,
        2010,
        FINISHED,
        volumes=27,
        japanese="鋼の錬金術師",
        tags=("Action", "Adventure", "Drama", "Fantasy", "Military"),
        synopsis="Two brothers pay a terrible price for trying to bring their mother back with "
        "alchemy, and set out to find the Philosopher's Stone to undo it.",
        source_of=("fullmetal-alchemist", "fullmetal-alchemist-brotherhood"),
    ),
    DemoManga(
        "BLAME!",
        ("Tsutomu Nihei",),
        1997,
        2003,
        FINISHED,
        volumes=10,
        japanese="ブラム!",
        tags=("Action", "Sci-Fi"),
        synopsis="Killy wanders an endless, ever-growing megastructure in search of a human "
        "who still carries the Net Terminal Genes.",
        source_of=("blame", "blame-prologue", "blame-movie"),
    ),
    DemoManga(
        "Naruto",
        ("Masashi Kishimoto",),
        1999,
        2014,
        FINISHED,
        volumes=72,
        chapters=700,
        japanese="NARUTO -ナルト-",
        tags=("Action", "Adventure", "Fantasy", "Martial Arts"),
        synopsis="An outcast young ninja who carries a fox demon sealed inside him sets out to "
        "become the leader of his village.",
        source_of=("naruto", "naruto-shippuuden"),
    ),
    DemoManga(
        "One Piece",
        ("Eiichiro Oda",),
        1997,
        status=PUBLISHING,
        japanese="ONE PIECE",
        tags=("Action", "Adventure", "Fantasy"),
        synopsis="Monkey D. Luffy gathers a pirate crew and sails the Grand Line in search of "
        "the legendary treasure One Piece.",
        source_of=("one-piece",),
    ),
    DemoManga(
        "Dragon Ball",
        ("Akira Toriyama",),
        1984,
        1995,
        FINISHED,
        volumes=42,
        chapters=519,
        japanese="ドラゴンボール",
        tags=("Action", "Adventure", "Comedy", "Martial Arts"),
        synopsis="Son Goku, a boy with a monkey's tail and enormous strength, joins the search "
        "for the seven Dragon Balls and grows into the strongest fighter on Earth.",
        source_of=("dragon-ball", "dragon-ball-z", "dragon-ball-kai"),
    ),
    DemoManga(
        "Death Note",
        (("Tsugumi Ohba", STORY), ("Takeshi Obata", ART)),
        2003,
        2006,
        FINISHED,
        volumes=12,
        chapters=108,
        japanese="DEATH NOTE",
        tags=("Psychological", "Supernatural", "Suspense"),
        synopsis="A top student finds a notebook that kills anyone whose name is written in "
        "it, and a brilliant detective sets out to find him.",
        source_of=("death-note",),
    ),
    DemoManga(
        "Shingeki no Kyojin",
        ("Hajime Isayama",),
        2009,
        2021,
        FINISHED,
        volumes=34,
        chapters=139,
        japanese="進撃の巨人",
        english="Attack on Titan",
        tags=("Action", "Drama", "Gore", "Military", "Survival"),
        synopsis="Humanity lives behind enormous walls that keep out the man-eating Titans, "
        "until the day a Titan taller than the walls breaks through.",
        source_of=(
            "shingeki-no-kyojin",
            "shingeki-no-kyojin-season-2",
            "shingeki-no-kyojin-season-3",
            "shingeki-no-kyojin-season-3-part-2",
            "shingeki-no-kyojin-the-final-season",
            "shingeki-no-kyojin-the-final-season-part-2",
        ),
    ),
    DemoManga(
        "Shingeki! Kyojin Chuugakkou",
        ("Saki Nakagawa", ("Hajime Isayama", ORIGINAL)),
        2012,
        japanese="進撃!巨人中学校",
        english="Attack on Titan: Junior High",
        tags=("Comedy", "Parody", "School"),
        synopsis="The cast of Attack on Titan as junior high school students, in a comedy "
        "spin-off.",
        source_of=("shingeki-kyojin-chuugakkou",),
        related=(("shingeki-no-kyojin", MangaRelation.SPIN_OFF),),
    ),
    DemoManga(
        "Shin Seiki Evangelion",
        ("Yoshiyuki Sadamoto",),
        1994,
        2013,
        FINISHED,
        volumes=14,
        japanese="新世紀エヴァンゲリオン",
        english="Neon Genesis Evangelion",
        tags=("Drama", "Mecha", "Psychological", "Sci-Fi"),
        synopsis="The series' character designer retells the story of Shinji Ikari, the boy "
        "his father summons to pilot Eva Unit-01.",
        related=(("neon-genesis-evangelion", MangaRelation.ADAPTATION),),
    ),
    DemoManga(
        "Berserk",
        ("Kentaro Miura",),
        1989,
        status=PUBLISHING,
        japanese="ベルセルク",
        tags=("Action", "Adventure", "Drama", "Fantasy", "Gore", "Horror"),
        synopsis="Guts, a lone mercenary with a huge sword, hunts the demons and the former "
        "friend who betrayed him.",
        source_of=(
            "kenpuu-denki-berserk",
            "berserk-ougon-jidai-hen-i-haou-no-tamago",
            "berserk-ougon-jidai-hen-ii-doldrey-kouryaku",
            "berserk-ougon-jidai-hen-iii-kourin",
            "berserk",
            "berserk-2nd-season",
        ),
    ),
    DemoManga(
        "Akira",
        ("Katsuhiro Otomo",),
        1982,
        1990,
        FINISHED,
        volumes=6,
        japanese="AKIRA",
        tags=("Action", "Sci-Fi", "Supernatural"),
        synopsis="In Neo-Tokyo, rebuilt after a war, a biker gang member gains psychic powers "
        "after an accident, and the government fears another Akira.",
        source_of=("akira",),
    ),
    DemoManga(
        "Koukaku Kidoutai",
        ("Masamune Shirow",),
        1989,
        status=FINISHED,
        volumes=1,
        japanese="攻殻機動隊",
        english="Ghost in the Shell",
        tags=("Action", "Mystery", "Sci-Fi"),
        synopsis="Major Motoko Kusanagi and Public Security Section 9 fight cybercrime in a "
        "world where minds can be networked and hacked.",
        source_of=("koukaku-kidoutai", "koukaku-kidoutai-stand-alone-complex"),
    ),
    DemoManga(
        "Kaze no Tani no Nausicaä",
        ("Hayao Miyazaki",),
        1982,
        1994,
        FINISHED,
        volumes=7,
        japanese="風の谷のナウシカ",
        english="Nausicaä of the Valley of the Wind",
        tags=("Adventure", "Fantasy", "Sci-Fi"),
        synopsis="A thousand years after the fall of industrial civilisation, the princess of "
        "a small valley tries to understand the toxic jungle that is spreading across the land.",
        source_of=("kaze-no-tani-no-nausicaa",),
    ),
    DemoManga(
        "Bishoujo Senshi Sailor Moon",
        ("Naoko Takeuchi",),
        1991,
        1997,
        FINISHED,
        volumes=18,
        japanese="美少女戦士セーラームーン",
        english="Sailor Moon",
        tags=("Fantasy", "Mahou Shoujo", "Romance"),
        synopsis="Schoolgirl Usagi Tsukino learns from a talking cat that she is Sailor Moon, "
        "a guardian who must find her fellow Sailor Guardians and the Moon Princess.",
        source_of=(
            "bishoujo-senshi-sailor-moon",
            "bishoujo-senshi-sailor-moon-r",
            "bishoujo-senshi-sailor-moon-s",
            "bishoujo-senshi-sailor-moon-supers",
            "bishoujo-senshi-sailor-moon-sailor-stars",
        ),
    ),
    DemoManga(
        "Cardcaptor Sakura",
        ("CLAMP",),
        1996,
        2000,
        FINISHED,
        volumes=12,
        japanese="カードキャプターさくら",
        tags=("Comedy", "Fantasy", "Mahou Shoujo", "Romance"),
        synopsis="Ten-year-old Sakura Kinomoto accidentally frees the magical Clow Cards and "
        "has to capture them again.",
        source_of=("cardcaptor-sakura",),
    ),
    DemoManga(
        "Hunter x Hunter",
        ("Yoshihiro Togashi",),
        1998,
        status=HIATUS,
        japanese="HUNTER×HUNTER",
        tags=("Action", "Adventure", "Fantasy"),
        synopsis="Gon Freecss takes the Hunter Exam to find the father who left him to become "
        "a Hunter.",
        source_of=("hunter-x-hunter", "hunter-x-hunter-2011"),
    ),
    DemoManga(
        "Yuu☆Yuu☆Hakusho",
        ("Yoshihiro Togashi",),
        1990,
        1994,
        FINISHED,
        volumes=19,
        japanese="幽☆遊☆白書",
        english="YuYu Hakusho",
        tags=("Action", "Comedy", "Martial Arts", "Supernatural"),
        synopsis="A delinquent dies saving a child, and is given a second life as a detective "
        "for the spirit world.",
        source_of=("yuuyuuhakusho",),
    ),
    DemoManga(
        "Slam Dunk",
        ("Takehiko Inoue",),
        1990,
        1996,
        FINISHED,
        volumes=31,
        chapters=276,
        japanese="SLAM DUNK",
        tags=("Comedy", "Sports", "Team Sports", "School"),
        synopsis="Delinquent Hanamichi Sakuragi joins his high school's basketball team to "
        "impress a girl, and finds he has a gift for the game.",
        source_of=("slam-dunk",),
    ),
    DemoManga(
        "Rurouni Kenshin: Meiji Kenkaku Romantan",
        ("Nobuhiro Watsuki",),
        1994,
        1999,
        FINISHED,
        volumes=28,
        japanese="るろうに剣心 -明治剣客浪漫譚-",
        english="Rurouni Kenshin",
        tags=("Action", "Historical", "Romance", "Samurai"),
        synopsis="A legendary assassin of the Bakumatsu wanders Meiji Japan with a reversed-"
        "blade sword, sworn never to kill again.",
        source_of=(
            "rurouni-kenshin-meiji-kenkaku-romantan",
            "rurouni-kenshin-meiji-kenkaku-romantan-tsuioku-hen",
        ),
    ),
    DemoManga(
        "Bleach",
        ("Tite Kubo",),
        2001,
        2016,
        FINISHED,
        volumes=74,
        chapters=686,
        japanese="BLEACH",
        tags=("Action", "Adventure", "Supernatural"),
        synopsis="Ichigo Kurosaki, a teenager who can see ghosts, takes on the powers and the "
        "duties of a Soul Reaper.",
        source_of=("bleach",),
    ),
    DemoManga(
        "Mushishi",
        ("Yuki Urushibara",),
        1999,
        2008,
        FINISHED,
        volumes=10,
        japanese="蟲師",
        tags=("Mystery", "Slice of Life", "Supernatural", "Iyashikei"),
        synopsis="Ginko travels the countryside studying mushi, the primitive forms of life "
        "that most people cannot see, and helping those they trouble.",
        source_of=("mushishi", "mushishi-zoku-shou", "mushishi-zoku-shou-2nd-season"),
    ),
    DemoManga(
        "Nana",
        ("Ai Yazawa",),
        2000,
        status=HIATUS,
        volumes=21,
        japanese="NANA",
        tags=("Drama", "Music", "Romance"),
        synopsis="Two twenty-year-old women named Nana meet on a train to Tokyo and end up "
        "sharing an apartment.",
        source_of=("nana",),
    ),
    DemoManga(
        "Monster",
        ("Naoki Urasawa",),
        1994,
        2001,
        FINISHED,
        volumes=18,
        japanese="MONSTER",
        tags=("Drama", "Mystery", "Psychological", "Suspense"),
        synopsis="A Japanese surgeon in Düsseldorf saves a boy's life, and years later sets "
        "out to stop the killer that boy has become.",
        source_of=("monster",),
    ),
    DemoManga(
        "Jujutsu Kaisen",
        ("Gege Akutami",),
        2018,
        2024,
        FINISHED,
        volumes=30,
        chapters=271,
        japanese="呪術廻戦",
        tags=("Action", "School", "Supernatural"),
        synopsis="Yuji Itadori swallows a cursed finger to save his friends and becomes the "
        "host of the King of Curses.",
        source_of=("jujutsu-kaisen-tv",),
    ),
    DemoManga(
        "Jujutsu Kaisen 0",
        ("Gege Akutami",),
        2017,
        2017,
        FINISHED,
        volumes=1,
        japanese="呪術廻戦 0",
        tags=("Action", "School", "Supernatural"),
        synopsis="Yuta Okkotsu, haunted by the curse of his childhood friend, enrols at "
        "Tokyo Jujutsu High.",
        source_of=("jujutsu-kaisen-0-movie",),
    ),
    DemoManga(
        "Kimetsu no Yaiba",
        ("Koyoharu Gotouge",),
        2016,
        2020,
        FINISHED,
        volumes=23,
        chapters=205,
        japanese="鬼滅の刃",
        english="Demon Slayer",
        tags=("Action", "Historical", "Supernatural"),
        synopsis="Tanjiro Kamado joins the Demon Slayer Corps after demons kill his family "
        "and turn his sister into one of them.",
        source_of=(
            "kimetsu-no-yaiba",
            "kimetsu-no-yaiba-movie-mugen-ressha-hen",
            "kimetsu-no-yaiba-mugen-ressha-hen",
            "kimetsu-no-yaiba-yuukaku-hen",
        ),
    ),
    DemoManga(
        "Boku no Hero Academia",
        ("Kohei Horikoshi",),
        2014,
        2024,
        FINISHED,
        volumes=42,
        chapters=430,
        japanese="僕のヒーローアカデミア",
        english="My Hero Academia",
        tags=("Action", "School", "Super Power"),
        synopsis="In a world where most people have superpowers, Izuku Midoriya is born "
        "without one, and still means to become the greatest hero.",
        source_of=(
            "boku-no-hero-academia",
            "boku-no-hero-academia-2nd-season",
            "boku-no-hero-academia-3rd-season",
            "boku-no-hero-academia-4th-season",
            "boku-no-hero-academia-5th-season",
        ),
    ),
    DemoManga(
        "Spy x Family",
        ("Tatsuya Endo",),
        2019,
        status=PUBLISHING,
        japanese="SPY×FAMILY",
        tags=("Action", "Comedy", "Childcare"),
        synopsis="A spy, an assassin and a telepathic girl pretend to be a family, each "
        "keeping their secret from the others.",
        source_of=("spy-x-family",),
    ),
    DemoManga(
        "Mob Psycho 100",
        ("ONE",),
        2012,
        2017,
        FINISHED,
        volumes=16,
        japanese="モブサイコ100",
        tags=("Action", "Comedy", "Supernatural"),
        synopsis="A middle schooler with immense psychic powers tries to lead an ordinary "
        "life, while working for a fraudulent spirit medium.",
        source_of=("mob-psycho-100", "mob-psycho-100-ii"),
    ),
    DemoManga(
        "One Punch-Man",
        (("ONE", STORY), ("Yusuke Murata", ART)),
        2012,
        status=PUBLISHING,
        japanese="ワンパンマン",
        tags=("Action", "Comedy", "Parody", "Super Power"),
        synopsis="Saitama can beat any opponent with a single punch, and is bored to tears by it.",
        source_of=("one-punch-man", "one-punch-man-2nd-season"),
    ),
    DemoManga(
        "Tokyo Ghoul",
        ("Sui Ishida",),
        2011,
        2014,
        FINISHED,
        volumes=14,
        japanese="東京喰種トーキョーグール",
        tags=("Action", "Horror", "Supernatural"),
        synopsis="A student survives a ghoul's attack only to become half-ghoul himself.",
        source_of=("tokyo-ghoul", "tokyo-ghoul-a"),
    ),
    DemoManga(
        "Tokyo Ghoul:re",
        ("Sui Ishida",),
        2014,
        2018,
        FINISHED,
        volumes=16,
        japanese="東京喰種トーキョーグール:re",
        tags=("Action", "Horror", "Supernatural"),
        synopsis="The sequel to Tokyo Ghoul follows a squad of half-ghoul investigators.",
        source_of=("tokyo-ghoulre", "tokyo-ghoulre-2nd-season"),
    ),
    DemoManga(
        "Vinland Saga",
        ("Makoto Yukimura",),
        2005,
        japanese="ヴィンランド・サガ",
        tags=("Action", "Adventure", "Drama", "Historical"),
        synopsis="In eleventh-century Europe, a young Icelander fights for the Viking who "
        "killed his father, waiting for his chance at revenge.",
        source_of=("vinland-saga",),
    ),
    DemoManga(
        "Planetes",
        ("Makoto Yukimura",),
        1999,
        2004,
        FINISHED,
        volumes=4,
        japanese="プラネテス",
        tags=("Drama", "Romance", "Sci-Fi", "Space"),
        synopsis="In 2075, the crew of a small ship collects the debris that orbits the Earth.",
        source_of=("planetes",),
    ),
    DemoManga(
        "Haikyuu!!",
        ("Haruichi Furudate",),
        2012,
        2020,
        FINISHED,
        volumes=45,
        chapters=402,
        japanese="ハイキュー!!",
        tags=("Sports", "Team Sports", "School"),
        synopsis="Shoyo Hinata is short but can jump, and joins his high school's fallen "
        "volleyball team.",
        source_of=(
            "haikyuu",
            "haikyuu-second-season",
            "haikyuu-karasuno-koukou-vs-shiratorizawa-gakuen-koukou",
            "haikyuu-to-the-top",
            "haikyuu-to-the-top-part-2",
        ),
    ),
    DemoManga(
        "Kaguya-sama wa Kokurasetai: Tensai-tachi no Renai Zunousen",
        ("Aka Akasaka",),
        2015,
        2022,
        FINISHED,
        volumes=28,
        chapters=281,
        japanese="かぐや様は告らせたい～天才たちの恋愛頭脳戦～",
        english="Kaguya-sama: Love Is War",
        tags=("Comedy", "Romance", "School"),
        synopsis="The president and vice-president of an elite school's student council are in "
        "love, and each schemes to make the other confess first.",
        source_of=(
            "kaguya-sama-wa-kokurasetai-tensai-tachi-no-renai-zunousen",
            "kaguya-sama-wa-kokurasetai-tensai-tachi-no-renai-zunousen-2020",
            "kaguya-sama-wa-kokurasetai-ultra-romantic",
        ),
    ),
    DemoManga(
        "Yakusoku no Neverland",
        (("Kaiu Shirai", STORY), ("Posuka Demizu", ART)),
        2016,
        2020,
        FINISHED,
        volumes=20,
        chapters=181,
        japanese="約束のネバーランド",
        english="The Promised Neverland",
        tags=("Mystery", "Psychological", "Suspense"),
        synopsis="The children of a happy orphanage discover what they are being raised for, "
        "and plan their escape.",
        source_of=("yakusoku-no-neverland", "yakusoku-no-neverland-2nd-season"),
    ),
    DemoManga(
        "Dr. Stone",
        (("Riichiro Inagaki", STORY), ("Boichi", ART)),
        2017,
        2022,
        FINISHED,
        volumes=26,
        chapters=232,
        japanese="Dr.STONE",
        tags=("Adventure", "Comedy", "Sci-Fi"),
        synopsis="Thousands of years after all of humanity was turned to stone, a young "
        "scientist wakes up and sets out to rebuild civilisation.",
        source_of=("dr-stone", "dr-stone-stone-wars"),
    ),
    DemoManga(
        "Sword Art Online",
        ("Reki Kawahara",),
        2009,
        status=PUBLISHING,
        kind=MangaKind.LIGHT_NOVEL,
        japanese="ソードアート・オンライン",
        tags=("Action", "Adventure", "Fantasy", "Romance", "Video Game"),
        synopsis="Ten thousand players are trapped in a virtual reality game: dying in it "
        "means dying for real.",
        source_of=(
            "sword-art-online",
            "sword-art-online-ii",
            "sword-art-online-alicization",
            "sword-art-online-alicization-war-of-underworld",
        ),
    ),
    DemoManga(
        "Toradora!",
        ("Yuyuko Takemiya",),
        2006,
        2009,
        FINISHED,
        volumes=10,
        kind=MangaKind.LIGHT_NOVEL,
        japanese="とらドラ!",
        tags=("Comedy", "Romance", "School"),
        synopsis="A gentle boy with a scary face and a tiny, fierce girl agree to help each "
        "other win over the people they love.",
        source_of=("toradora",),
    ),
    DemoManga(
        "Re:Zero kara Hajimeru Isekai Seikatsu",
        ("Tappei Nagatsuki",),
        2014,
        status=PUBLISHING,
        kind=MangaKind.LIGHT_NOVEL,
        japanese="Re:ゼロから始める異世界生活",
        english="Re:Zero − Starting Life in Another World",
        tags=("Drama", "Fantasy", "Psychological", "Isekai"),
        synopsis="Summoned to another world, Subaru Natsuki finds that when he dies, he "
        "returns to an earlier point in time.",
        source_of=(
            "rezero-kara-hajimeru-isekai-seikatsu",
            "rezero-kara-hajimeru-isekai-seikatsu-2nd-season",
            "rezero-kara-hajimeru-isekai-seikatsu-2nd-season-part-2",
        ),
    ),
    DemoManga(
        "Fruits Basket",
        ("Natsuki Takaya",),
        1998,
        2006,
        FINISHED,
        volumes=23,
        japanese="フルーツバスケット",
        tags=("Drama", "Romance", "Supernatural"),
        synopsis="Tohru Honda comes to live with the Sohma family, some of whom turn into the "
        "animals of the zodiac when hugged.",
        source_of=(
            "fruits-basket",
            "fruits-basket-1st-season",
            "fruits-basket-2nd-season",
            "fruits-basket-the-final",
        ),
    ),
    DemoManga(
        "Ouran Koukou Host Club",
        ("Bisco Hatori",),
        2002,
        2010,
        FINISHED,
        volumes=18,
        japanese="桜蘭高校ホスト部",
        english="Ouran High School Host Club",
        tags=("Comedy", "Romance", "School", "Reverse Harem"),
        synopsis="A scholarship student at an elite school breaks an expensive vase and pays "
        "off the debt by working for its host club.",
        source_of=("ouran-koukou-host-club",),
    ),
    DemoManga(
        "Great Teacher Onizuka",
        ("Tooru Fujisawa",),
        1997,
        2002,
        FINISHED,
        volumes=25,
        japanese="GTO",
        tags=("Comedy", "Drama", "Delinquents", "School"),
        synopsis="A former biker gang member becomes a teacher and takes on the class nobody "
        "else can handle.",
        source_of=("great-teacher-onizuka",),
    ),
    DemoManga(
        "Hellsing",
        ("Kouta Hirano",),
        1997,
        2008,
        FINISHED,
        volumes=10,
        japanese="HELLSING",
        tags=("Action", "Horror", "Supernatural", "Vampire"),
        synopsis="The Hellsing Organization protects Britain from the undead with the help of "
        "the vampire Alucard.",
        source_of=("hellsing", "hellsing-ultimate"),
    ),
    DemoManga(
        "Kiseijuu",
        ("Hitoshi Iwaaki",),
        1988,
        1995,
        FINISHED,
        volumes=10,
        japanese="寄生獣",
        english="Parasyte",
        tags=("Action", "Horror", "Psychological", "Sci-Fi"),
        synopsis="An alien parasite fails to take over a student's brain and settles in his "
        "right hand instead.",
        source_of=("kiseijuu-sei-no-kakuritsu",),
    ),
    DemoManga(
        "Made in Abyss",
        ("Akihito Tsukushi",),
        2012,
        status=PUBLISHING,
        japanese="メイドインアビス",
        tags=("Adventure", "Drama", "Fantasy", "Mystery"),
        synopsis="An orphan girl and a robot boy descend into the Abyss, an enormous chasm "
        "that nobody has fully explored, to find her mother.",
        source_of=(
            "made-in-abyss",
            "made-in-abyss-movie-1-tabidachi-no-yoake",
            "made-in-abyss-movie-2-hourou-suru-tasogare",
            "made-in-abyss-movie-3-fukaki-tamashii-no-reimei",
        ),
    ),
    DemoManga(
        "Mahou Shoujo Madoka★Magica",
        (("Magica Quartet", ORIGINAL), ("Hanokage", ART)),
        2011,
        2011,
        FINISHED,
        volumes=3,
        japanese="魔法少女まどか☆マギカ",
        tags=("Drama", "Mahou Shoujo", "Psychological"),
        synopsis="The story of the anime, retold in manga form.",
        related=(("mahou-shoujo-madokamagica", MangaRelation.ADAPTATION),),
    ),
    DemoManga(
        "Mahou Shoujo Oriko★Magica",
        (("Magica Quartet", ORIGINAL), ("Mura Kuroe", ART)),
        2011,
        2011,
        FINISHED,
        volumes=2,
        japanese="魔法少女おりこ☆マギカ",
        tags=("Drama", "Mahou Shoujo", "Psychological"),
        synopsis="A spin-off of Madoka Magica about other magical girls in the same city.",
        related=(("mahou-shoujo-madokamagica", MangaRelation.SPIN_OFF),),
    ),
    DemoManga(
        "Initial D",
        ("Shuichi Shigeno",),
        1995,
        2013,
        FINISHED,
        volumes=48,
        japanese="頭文字D",
        tags=("Action", "Drama", "Racing"),
        synopsis="A high school student who delivers tofu down a mountain pass every morning "
        "turns out to be a brilliant street racer.",
        source_of=(
            "initial-d-first-stage",
            "initial-d-second-stage",
            "initial-d-fourth-stage",
            "initial-d-final-stage",
        ),
    ),
    DemoManga(
        "Ping Pong",
        ("Taiyo Matsumoto",),
        1996,
        1997,
        FINISHED,
        volumes=5,
        japanese="ピンポン",
        tags=("Drama", "Sports"),
        synopsis="Two childhood friends on their high school's table tennis team, one "
        "brash and one aloof.",
        source_of=("ping-pong-the-animation",),
    ),
    DemoManga(
        "Tekkon Kinkreet",
        ("Taiyo Matsumoto",),
        1993,
        1994,
        FINISHED,
        volumes=3,
        japanese="鉄コン筋クリート",
        tags=("Action", "Drama"),
        synopsis="Two orphans, Black and White, rule the streets of Treasure Town, until the "
        "yakuza move in.",
        source_of=("tekkon-kinkreet",),
    ),
    DemoManga(
        "Dorohedoro",
        ("Q Hayashida",),
        2000,
        2018,
        FINISHED,
        volumes=23,
        japanese="ドロヘドロ",
        tags=("Action", "Comedy", "Fantasy", "Gore", "Horror"),
        synopsis="Caiman, a man whose head a sorcerer turned into a lizard's, hunts sorcerers "
        "to find the one who did it.",
        source_of=("dorohedoro",),
    ),
    DemoManga(
        "Yuru Camp△",
        ("Afro",),
        2015,
        status=PUBLISHING,
        japanese="ゆるキャン△",
        english="Laid-Back Camp",
        tags=("Slice of Life", "CGDCT", "Iyashikei"),
        synopsis="High school girls go camping around Mount Fuji, mostly in winter.",
        source_of=("yuru-camp", "yuru-camp-season-2"),
    ),
]


@dataclass
class Summary:
    manga: int = 0
    relations: int = 0
    missing_anime: int = 0

    def __str__(self) -> str:
        return (
            f"{self.manga} manga created, {self.relations} relations to anime created, "
            f"{self.missing_anime} relations skipped (their anime is not in the catalog)."
        )


def load_demo_manga(entries: list[DemoManga] = DEMO_MANGA) -> Summary:
    """Create the demo manga that are missing, then the missing relations to anime the catalog
    has. A manga that exists is left as it is (an editor may have changed it). All or nothing."""
    summary = Summary()
    with transaction.atomic():
        slugs = {slug for entry in entries for slug, _ in entry.relations()}
        anime_ids = dict(Anime.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        wanted = []
        for entry in entries:
            manga = Manga.objects.filter(title=entry.title, kind=entry.kind).first()
            if manga is None:
                manga = create_manga(entry)
                summary.manga += 1
            for slug, relation in entry.relations():
                if slug in anime_ids:
                    wanted.append((anime_ids[slug], manga.pk, relation))
                else:
                    summary.missing_anime += 1
        existing = set(
            AnimeMangaRelation.objects.filter(anime_id__in=anime_ids.values()).values_list(
                "anime_id", "manga_id", "relation"
            )
        )
        missing = [key for key in dict.fromkeys(wanted) if key not in existing]
        AnimeMangaRelation.objects.bulk_create(
            AnimeMangaRelation(anime_id=anime_id, manga_id=manga_id, relation=relation)
            for anime_id, manga_id, relation in missing
        )
        summary.relations = len(missing)
        if missing:
            # bulk_create calls no save(): mark the pages that now show the new relations.
            Anime.objects.filter(pk__in={anime_id for anime_id, _, _ in missing}).page_changed()
            CatalogVersion.bump()
    return summary


def create_manga(entry: DemoManga) -> Manga:
    manga = Manga.objects.create(
        title=entry.title,
        kind=entry.kind,
        volumes=entry.volumes,
        chapters=entry.chapters,
        status=entry.status,
        start_year=entry.start_year,
        end_year=entry.end_year,
        synopsis=entry.synopsis,
    )
    for kind, title in ((JAPANESE, entry.japanese), (ENGLISH, entry.english)):
        if title:
            MangaTitle.objects.create(manga=manga, title=title, kind=kind)
    for position, credit in enumerate(entry.authors):
        name, role = (credit, AuthorRole.STORY_AND_ART) if isinstance(credit, str) else credit
        author = Author.objects.filter(name__iexact=name).first() or Author.objects.create(
            name=name
        )
        MangaAuthor.objects.create(manga=manga, author=author, role=role, position=position)
    manga.tags.set(Tag.objects.filter(name__in=entry.tags))
    return manga
