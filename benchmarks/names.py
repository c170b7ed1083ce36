"""Word lists for plausible synthetic records: British and Welsh places and people, with the
accented and Welsh letters (ŵ, ŷ, â, ï, é, ł) real records have, so fonts, sorting and
filtering are exercised the way they are in use."""

from __future__ import annotations

TOWNS = [
    "Aberystwyth", "Abergavenny", "Bangor", "Barry", "Bath", "Birmingham", "Blaenau Ffestiniog",
    "Bradford", "Brecon", "Bridgend", "Bristol", "Caernarfon", "Caerphilly", "Cardiff",
    "Carmarthen", "Chepstow", "Colwyn Bay", "Coventry", "Cwmbrân", "Derby", "Dolgellau",
    "Durham", "Ebbw Vale", "Exeter", "Glasgow", "Gloucester", "Haverfordwest", "Holyhead",
    "Hull", "Leeds", "Leicester", "Liverpool", "Llandudno", "Llanelli", "Llangollen",
    "Machynlleth", "Manchester", "Merthyr Tudful", "Milford Haven", "Mold", "Monmouth",
    "Neath", "Newcastle", "Newport", "Newtown", "Norwich", "Nottingham", "Oxford",
    "Pen-y-bont ar Ogwr", "Plymouth", "Pontypridd", "Porthmadog", "Port Talbot", "Preston",
    "Pwllheli", "Rhyl", "Ruthin", "Sheffield", "Shrewsbury", "Swansea", "Tenby", "Tredegar",
    "Welshpool", "Wrexham", "Ystradgynlais", "York",
]  # fmt: skip

PRISON_NAMES = [
    "Berwyn", "Cardiff", "Swansea", "Parc", "Prescoed", "Usk", "Leyhill", "Eastwood Park",
    "Altcourse", "Stoke Heath", "Drake Hall", "Styal", "Askham Grange", "Low Newton",
    "Holloway", "Bronzefield", "Send", "Foston Hall", "Peterborough", "New Hall", "Channings Wood",
    "Dartmoor", "Guys Marsh", "Erlestoke", "The Verne", "Portland", "Winchester", "Lewes",
    "Ford", "Wandsworth", "Pentonville", "Brixton", "Wormwood Scrubs", "Belmarsh", "Isis",
    "Thameside", "Durham", "Frankland", "Full Sutton", "Hull", "Humber", "Lindholme",
    "Moorland", "Doncaster", "Wakefield", "Leeds", "Wealstun", "Haverigg", "Kirkham",
    "Garth", "Wymott", "Risley", "Thorn Cross", "Hewell", "Birmingham", "Featherstone",
    "Oakwood", "Stafford", "Ranby", "Nottingham", "Lowdham Grange", "Whatton", "Onley",
    "Rye Hill", "Littlehey", "Highpoint", "Norwich", "Wayland", "Hollesley Bay", "Chelmsford",
]  # fmt: skip

FIRST_NAMES = [
    "Aled", "Alun", "Amir", "Angharad", "Anna", "Arwel", "Bethan", "Bronwen", "Cai", "Carys",
    "Catrin", "Céline", "Chloé", "Ceri", "Dafydd", "Delyth", "Derek", "Dewi", "Efa", "Eirlys",
    "Eleri", "Elin", "Emrys", "Ffion", "Gareth", "Geraint", "Glenys", "Gwen", "Gwenllïan",
    "Gwilym", "Hywel", "Iestyn", "Ifan", "Iñaki", "Iolo", "Jac", "José", "Kofi", "Lowri", "Llŷr",
    "Mabli", "Mair", "Małgorzata", "Margaret", "Meinir", "Mererid", "Nia", "Nobuhle", "Owain",
    "Peredur", "Priya", "Rhiannon", "Rhodri", "Rhys", "Renée", "Seren", "Siân", "Siôn",
    "Sioned", "Steffan", "Tegan", "Tomos", "Wyn", "Ŵyn", "Ynyr", "Zoë", "Aisha", "Ben",
    "Callum", "Darren", "Emma", "Faisal", "Grace", "Helen", "Imran", "Jade", "Karen", "Liam",
    "Mohammed", "Natalie", "Olu", "Paul", "Rachel", "Sam", "Tariq", "Vicky", "Wayne",
]  # fmt: skip

SURNAMES = [
    "ap Rhys", "Barker", "Bevan", "Bowen", "Cadwaladr", "Davies", "Edwards", "Ellis", "Evans",
    "Fry", "Griffiths", "Gruffydd", "Hopkins", "Howells", "Hughes", "Humphreys", "James",
    "Jenkins", "Jones", "Khan", "Kowalski", "Lewis", "Llewellyn", "Lloyd", "Lópes", "Mathias",
    "Meredith", "Morgan", "Morris", "Moss", "Nowak", "Okafor", "Owen", "Parry", "Patel",
    "Powell", "Price", "Prosser", "Pritchard", "Pugh", "Rees", "Roberts", "Rowlands", "Sands",
    "Stone", "Thomas", "Vaughan", "Watkins", "Williams", "Wynne", "Ŷwain", "Müller", "Ó Briain",
    "Ahmed", "Begum", "Brown", "Clarke", "Green", "Hall", "Hussain", "Johnson", "Martin",
    "Mensah", "Singh", "Smith", "Taylor", "Walker", "White", "Wright",
]  # fmt: skip

CHARITY_WORDS = [
    "Women's Aid", "Recovery Trust", "Arts Collective", "Reading Group", "Mentoring Project",
    "Family Support", "Housing Association", "Credit Union", "Food Bank", "Crafts Guild",
    "Music Trust", "Gardening Project", "Literacy Trust", "Youth Project", "Veterans' Network",
    "Community Café", "Men's Shed", "Citizens Advice", "Drama Company", "Sports Foundation",
    "Employment Hub", "Debt Advice", "Chaplaincy Trust", "Wellbeing Centre", "Book Club",
    "Canolfan Gymunedol", "Cymdeithas Tai", "Prosiect Ieuenctid", "Ymddiriedolaeth Celf",
    "Café Bleu", "Needlework Circle", "Choir", "Learning Partnership", "Restorative Justice",
]  # fmt: skip

KIND_WEIGHTS = {
    "charity": 52, "social_enterprise": 9, "prison": 7, "probation": 4, "police_pcc": 2,
    "health": 6, "local_authority": 6, "university": 3, "funder": 4, "housing": 5, "other": 2,
}  # fmt: skip

OTHER_NAMES = {
    "social_enterprise": ["{town} {word} CIC", "{word} Ltd ({town})"],
    "probation": ["Probation Service {town}", "{town} Probation Delivery Unit"],
    "police_pcc": ["Office of the PCC for {town}", "{town} Police"],
    "health": ["{town} Health Board", "{town} NHS Trust", "Bwrdd Iechyd {town}"],
    "local_authority": ["{town} County Council", "Cyngor {town}", "{town} City Council"],
    "university": ["University of {town}", "Prifysgol {town}"],
    "funder": ["{town} Community Foundation", "The {surname} Trust", "{surname} Foundation"],
    "housing": ["{town} Housing", "Tai {town}", "{town} Homes"],
    "other": ["{town} Chamber of Trade", "{town} Rotary Club", "{town} Library"],
}

JOB_TITLES = [
    "Chief Executive", "Director", "Governor", "Deputy Governor", "Head of Reducing Reoffending",
    "Activities Coordinator", "Volunteer Tutor", "Programme Manager", "Project Worker",
    "Chaplain", "Head of Learning and Skills", "Safer Custody Lead", "Trustee", "Volunteer",
    "Development Officer", "Cydlynydd Prosiect", "Rheolwr", "Family Engagement Worker",
]  # fmt: skip

ACTIVITY_NAMES = [
    "Needlework group", "Creative writing", "Reading group", "Choir", "Gardening",
    "Family learning", "Art class", "Drama workshop", "Men's Shed", "Cooking skills",
    "Money matters", "Mentoring drop-in", "Grŵp darllen", "Sgiliau coginio", "Football coaching",
    "Yoga", "Woodwork", "Peer support", "Employment workshop", "Story time for dads",
]  # fmt: skip

VENUES = [
    "Education block", "Chapel", "The Lobster Pot", "Visits hall", "Workshop 3", "Library",
    "Gym", "Ystafell 2", "Community room", "Garden", "Healthcare centre", "Main hall",
]  # fmt: skip
