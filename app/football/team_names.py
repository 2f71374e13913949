"""Proper Turkish display names for the ASCII club names of the shipped Süper Lig data.

Each key becomes an alias of the team named by its value, so both spellings import as one team.
"""

SUPER_LIG_DISPLAY_NAMES: dict[str, str] = {
    "A. Sebatspor": "Akçaabat Sebatspor",
    "Ad. Demirspor": "Adana Demirspor",
    "Akhisar Belediyespor": "Akhisarspor",
    "Ankaragucu": "Ankaragücü",
    "Antalya": "Antalyaspor",
    "Balikesirspor": "Balıkesirspor",
    "Besiktas": "Beşiktaş",
    "Buyuksehyr": "Başakşehir",
    "Diyarbakirspor": "Diyarbakırspor",
    "Elazigspor": "Elazığspor",
    "Erciyesspor": "Kayseri Erciyesspor",
    "Erzurum": "BB Erzurumspor",
    "Eskisehirspor": "Eskişehirspor",
    "Eyupspor": "Eyüpspor",
    "Fenerbahce": "Fenerbahçe",
    "Genclerbirligi": "Gençlerbirliği",
    "Goztep": "Göztepe",
    "Istanbulspor": "İstanbulspor",
    "Karabukspor": "Karabükspor",
    "Karagumruk SK": "Fatih Karagümrük",
    "Karsiyaka": "Karşıyaka",
    "Kasimpasa": "Kasımpaşa",
    "Kayseri": "Kayserispor",
    "Mersin Idman Yurdu": "Mersin İdmanyurdu",
    "Oftasspor": "Oftaşspor",
    "Osmanlispor": "Osmanlıspor",
    "P. Ofisi": "Petrol Ofisi",
    "Rizespor": "Çaykur Rizespor",
    "Sariyer": "Sarıyer",
    "Sekerspor": "Şekerspor",
    "Siirt Jet-PA": "Siirt Jet-PA Spor",
    "Umraniyespor": "Ümraniyespor",
}
