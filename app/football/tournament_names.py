"""Turkish names of tournaments: a few whole names, and the words the rest are composed from.

`localized_names.tournament_name` reads these: a whole name first, then `<X> qualification` →
`<X> elemeleri`, then word by word, `<modifier…> <head>` → `<Turkish modifier…> <head with its
compound suffix>` (`Nehru Cup` → `Nehru Kupası`, `Cyprus International Tournament` → `Kıbrıs
Uluslararası Turnuvası`); country names come from CLDR. A name with a word that no table knows is
shown as stored, never half translated.
"""

# Whole names that the word rules would get wrong: fixed Turkish usage, sentences, adjectives
# before the head (Turkish drops the compound suffix there: `Kıtalararası Kupa`).
TOURNAMENTS: dict[str, str] = {
    "Friendly": "Özel maç",
    "UEFA Euro": "UEFA Avrupa Şampiyonası",
    "African Cup of Nations": "Afrika Uluslar Kupası",
    "Gold Cup": "CONCACAF Altın Kupa",
    "Confederations Cup": "FIFA Konfederasyonlar Kupası",
    "British Home Championship": "Britanya Şampiyonası",
    "Intercontinental Cup": "Kıtalararası Kupa",
    "Open International Championship": "Açık Uluslararası Şampiyona",
    "Inter-Allied Games": "Müttefikler Arası Oyunlar",
    "Far Eastern Championship Games": "Uzak Doğu Şampiyona Oyunları",
    "King Hassan II Tournament": "Kral II. Hasan Turnuvası",
    "Tournament Burkina Faso": "Burkina Faso Turnuvası",
    "Mukuru 4 Nations": "Mukuru Dört Ulus Turnuvası",
    "Canadian Shield": "Kanada Kalkanı",
    "The Other Final": "Öteki Final",
    "Cup of Ancient Civilizations": "Antik Uygarlıklar Kupası",
    "CONMEBOL–UEFA Cup of Champions": "CONMEBOL–UEFA Şampiyonlar Kupası",
    "Morocco, Capital of African Football": "Fas, Afrika Futbolunun Başkenti",
    "International Tournament of Peoples, Cultures and Tribes": (
        "Halklar, Kültürler ve Kabileler Uluslararası Turnuvası"
    ),
}

# Proper names that Turkish uses as they are (Spanish and French titles, coined names): shown unchanged.
PROPER_TOURNAMENTS: frozenset[str] = frozenset({
    "Süper Lig", "Copa América", "Copa Lipton", "Copa Newton", "Copa Roca", "Copa Paz del Chaco",
    "Copa Chevallier Boutell", "Copa del Pacífico", "Copa Rio Branco", "Copa Oswaldo Cruz",
    "Copa Carlos Dittborn", "Copa Juan Pinto Durán", "Copa Premio Honor Uruguayo", "Copa Premio Honor Argentino",
    "Copa Artigas", "Copa Bernardo O'Higgins", "Copa Ramón Castilla", "Copa Félix Bogado", "Copa Confraternidad",
    "Coupe de l'Outre-Mer", "Tournoi de France", "Superclásico de las Américas", "Mundialito", "GaNEFo",
    "Soccer Ashes",
})  # fmt: skip

QUALIFICATION = "qualification"
QUALIFICATION_TR = "elemeleri"

# The last word of a name, with the compound suffix Turkish puts on it (`Dünya Kupası`).
HEADS: dict[str, str] = {
    "Cup": "Kupası",
    "Trophy": "Kupası",
    "Championship": "Şampiyonası",
    "Games": "Oyunları",
    "Tournament": "Turnuvası",
    "League": "Ligi",
    "Series": "Serisi",
    "Festival": "Festivali",
    "Vase": "Vazosu",
}

# Words and phrases before the head (the longest match wins: `Four Nations` → `Dört Ulus`, no plural
# after a number). Countries are not listed: CLDR's Turkish territory names cover them.
WORDS: dict[str, str] = {
    "World": "Dünya", "International": "Uluslararası", "Intercontinental": "Kıtalararası",
    "Nations": "Uluslar", "Confederations": "Konfederasyonlar", "Football": "Futbol", "Super": "Süper",
    "Olympic": "Olimpiyat", "Island": "Ada", "Mini": "Mini", "Friendship": "Dostluk",
    "Independence": "Bağımsızlık", "Peace": "Barış", "Unity": "Birlik", "Solidarity": "Dayanışma",
    "Heritage": "Miras", "Millennium": "Milenyum", "Dynasty": "Hanedan", "Dragon": "Ejder", "Gold": "Altın",
    "Great Wall": "Çin Seddi", "Diamond Jubilee": "Elmas Jübile", "Anniversary": "Yıl",
    "Lunar New Year": "Ay Yeni Yılı", "King's": "Kral", "Prime Minister's": "Başbakanlık",
    "Four Nations": "Dört Ulus", "Four Nations'": "Dört Ulus", "Three Nations": "Üç Ulus",
    "Tri Nation": "Üç Ulus", "Tri-Nation": "Üç Ulus", "Tri-Nations": "Üç Ulus", "and": "ve",
    "Africa": "Afrika", "African": "Afrika", "All-African": "Tüm Afrika", "Afro-Asian": "Afro-Asya",
    "Asia": "Asya", "Asian": "Asya", "Europe": "Avrupa", "European": "Avrupa", "America": "Amerika",
    "American": "Amerika", "Pan American": "Pan Amerikan", "Bolivarian": "Bolivar", "Arab": "Arap",
    "Caribbean": "Karayip", "Pacific": "Pasifik", "Atlantic": "Atlantik", "Oceania": "Okyanusya",
    "Melanesia": "Melanezya", "Marianas": "Marianalar", "Windward Islands": "Rüzgarüstü Adaları",
    "Indian Ocean": "Hint Okyanusu", "Mediterranean": "Akdeniz", "Nordic": "İskandinav", "Baltic": "Baltık",
    "Balkan": "Balkan", "Gulf": "Körfez", "Nile Basin": "Nil Havzası", "Peninsular": "Yarımada",
    "Far Eastern": "Uzak Doğu", "Central": "Orta", "North": "Kuzey", "South": "Güney", "East": "Doğu",
    "West": "Batı", "Southeast": "Güneydoğu", "Korea": "Kore", "Philippine": "Filipinler", "Zambian": "Zambiya",
    "Beijing": "Pekin", "Navruz": "Nevruz",
    # Club competitions a provider may send (football-data.org names).
    "Champions": "Şampiyonlar", "Europa": "Avrupa", "Conference": "Konferans", "Club": "Kulüpler",
}  # fmt: skip

# Names of people, sponsors and places that stay as they are inside a composed name.
PROPER_WORDS: frozenset[str] = frozenset({
    "Kirin", "Challenge", "Challenger", "Nehru", "Merdeka", "Merlion", "Dunhill", "Marlboro", "Rous", "Simba",
    "Mapinduzi", "Matthews", "Joe Robbie", "Phillip Seaga", "Niamh", "Benedikt Fontana", "Mahinda Rajapaksa",
    "Amílcar Cabral", "Évence Coppée", "Scania", "Miami", "Dakar", "Guangzhou", "Al Ain", "Trans-Tasman",
    "Muratti", "Outrigger", "Viva", "Wild", "Inter", "Tynwald Hill", "Real Madrid", "Kuneitra",
})  # fmt: skip
