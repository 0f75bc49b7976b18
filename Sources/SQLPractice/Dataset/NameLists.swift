/// The words the dataset is made of: names, places, product lines. Fixed lists (not a faker
/// library) keep the data identical for a given seed and believable to read.
enum NameLists {
    static let firstNames = [
        "Olivia", "Noah", "Amelia", "Leo", "Isla", "Oliver", "Ava", "Arthur", "Mia", "Theo", "Lucas", "Emma", "Louise", "Gabriel",
        "Jade", "Hugo", "Chloé", "Jules", "Léa", "Raphaël", "Mila", "Lukas", "Hannah", "Finn", "Emilia", "Paul", "Lina", "Elias",
        "Sofia", "Mateo", "Lucía", "Martín", "Valentina", "Alejandro", "Giulia", "Francesco", "Aurora", "Lorenzo", "Sara",
        "Sem", "Julia", "Daan", "Tess", "Liam", "Saga", "William", "Alice", "Elsa", "Nora", "Omar", "Aisha", "Yusuf", "Priya",
        "Arjun", "Mei", "Wei", "Kenji", "Yuki", "Zofia", "Jakub", "Ines", "Tomás", "Freya", "Ivan", "Anya", "Kwame", "Ama",
    ]

    static let lastNames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walker", "Roberts", "Patel", "Khan", "O'Brien",
        "McDonald", "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "García", "Fernández", "González",
        "Rodríguez", "López", "Martínez", "Sánchez", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "de Jong",
        "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson",
        "Nowak", "Kowalski", "Silva", "Santos", "Costa", "Okafor", "Mensah", "Nakamura", "Tanaka", "Chen", "Wang", "Ali", "Haddad",
    ]

    /// Country code, its share of customers, and cities with a postcode pattern (`#` is a digit).
    static let countries: [(code: String, weight: Double, cities: [String], postcode: String, phone: String)] = [
        ("GB", 30, ["London", "Manchester", "Bristol", "Leeds", "Edinburgh", "Cardiff"], "## #AB", "+44 7700 9"),
        ("FR", 20, ["Paris", "Lyon", "Marseille", "Toulouse", "Lille", "Nantes"], "#####", "+33 6 "),
        ("DE", 20, ["Berlin", "Hamburg", "Munich", "Cologne", "Leipzig", "Frankfurt"], "#####", "+49 151 "),
        ("ES", 10, ["Madrid", "Barcelona", "Valencia", "Seville", "Bilbao"], "#####", "+34 6"),
        ("IT", 10, ["Rome", "Milan", "Turin", "Bologna", "Naples"], "#####", "+39 3"),
        ("NL", 5, ["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"], "#### AB", "+31 6 "),
        ("SE", 5, ["Stockholm", "Gothenburg", "Malmö", "Uppsala"], "### ##", "+46 70 "),
    ]

    static let streets = ["High", "Station", "Church", "Mill", "Park", "Victoria", "Garden", "Market", "Bridge", "Chestnut", "Harbour", "Orchard"]
    static let streetKinds = ["Street", "Road", "Lane", "Avenue", "Way"]

    /// Domains reserved for examples (RFC 2606 and 6761), with how common each is.
    static let emailDomains: [(domain: String, weight: Double)] = [
        ("example.com", 40), ("example.org", 25), ("example.net", 20), ("post.example", 10), ("inbox.example", 5),
    ]

    static let brands = ["Aurora", "Nimbus", "Vega", "Orbit", "Kestrel", "Juniper", "Fjord", "Sierra", "Atlas", "Lumen", "Birch", "Cobalt"]

    static let bookAdjectives = ["Silent", "Hidden", "Last", "Northern", "Glass", "Paper", "Winter", "Crimson", "Quiet", "Lost", "Burning", "Golden"]
    static let bookNouns = [
        "Harbour", "Orchard", "Garden", "Lighthouse", "River", "Station", "Library", "Island", "Bridge", "Forest", "Letter", "Map",
    ]
    static let programmingTopics = [
        "SQL", "Databases", "HTTP", "Algorithms", "Git", "Testing", "APIs", "Caching", "Security", "Concurrency", "Linux", "Networking",
    ]
    static let programmingForms = ["Learning", "Practical", "Mastering", "Thinking in", "Designing with"]
    static let cuisines = ["Tuscan", "Basque", "Nordic", "Provençal", "Levantine", "Bavarian", "Sicilian", "Andalusian", "Breton", "Scottish"]
    static let cookingForms = ["Kitchen", "Table", "Baking", "Suppers", "Breakfasts"]

    static let reviewTitles: [Int: [String]] = [
        1: ["Broke within a week", "Not as described", "Very disappointed", "Would not buy again"],
        2: ["Does the job, barely", "Expected more", "Cheaply made", "Mixed feelings"],
        3: ["Fine for the price", "Okay", "Average", "Some good, some bad"],
        4: ["Very good", "Happy with it", "Solid choice", "Does what it says"],
        5: ["Excellent", "Love it", "Best purchase this year", "Perfect", "Highly recommended"],
    ]
    static let reviewBodies: [Int: [String]] = [
        1: ["It stopped working after a few days and support never answered.", "The photos are misleading; the real thing is much smaller."],
        2: ["It works, but it feels flimsy and the finish is rough.", "Arrived late and the instructions were missing."],
        3: ["Nothing special, but nothing wrong either.", "Good enough for occasional use."],
        4: ["Well made and arrived quickly. One small niggle with the packaging.", "Exactly what I needed, would buy again."],
        5: ["Beautifully made, fast delivery, and it works perfectly.", "I bought a second one as a gift. Superb."],
    ]
}
