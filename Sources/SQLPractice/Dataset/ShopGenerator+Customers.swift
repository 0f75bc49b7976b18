import ContentKit

/// Customers and their addresses: more sign-ups as the shop grows, a few people who signed up
/// twice with a differently capitalised email, and customers who recommend each other.
extension ShopGenerator {
    mutating func makeCustomers() {
        let start = CalendarDay(year: 2021, month: 1, day: 1)
        let span = Self.lastDay.daysSinceEpoch - start.daysSinceEpoch
        // The square root skews sign-ups towards later dates: the shop grows.
        let signUps = (0..<Self.customerCount).map { _ in
            start.adding(days: Int(Double(span) * random.unit().squareRoot()))
        }.sorted()
        let twiceSignedUp = Set([1_180, 1_290, 1_377, 1_460])
        var emails = Set<String>()
        var people: [(first: String, last: String, country: Int, email: String)] = []

        for (index, day) in signUps.enumerated() {
            let id = index + 1
            var person: (first: String, last: String, country: Int, email: String)
            if twiceSignedUp.contains(id) {
                let earlier = people[random.int(0...people.count / 2)]
                person = (earlier.first, earlier.last, earlier.country, Self.capitalised(earlier.email))
            } else {
                let first = random.pick(NameLists.firstNames)
                let last = random.pick(NameLists.lastNames)
                let email = uniqueEmail(first: first, last: last, taken: &emails)
                person = (first, last, random.weighted(NameLists.countries.map(\.weight)), email)
            }
            people.append(person)
            let country = NameLists.countries[person.country]
            let phone = random.chance(0.3) ? nil : country.phone + digits(count: 8 - country.phone.filter(\.isNumber).count + 4)
            let referrer = id > 1 && random.chance(0.2) ? random.int(1...id - 1) : nil
            append(
                "customers",
                [
                    SQLValue(id), .text(person.first), .text(person.last), .text(person.email), SQLValue(phone),
                    .text(country.code), .text(day.iso), SQLValue(referrer),
                ])
            let (billing, shipping) = makeAddresses(customerID: id, country: person.country)
            let activity = random.chance(0.15) ? 0 : 1 / max(0.05, random.unit())
            customers.append(Customer(id: id, signedUpOn: day, activity: activity, billingAddressID: billing, shippingAddressID: shipping))
        }
    }

    /// None (6%), one billing address used for shipping too (66%), or a billing and a separate shipping address.
    private mutating func makeAddresses(customerID: Int, country: Int) -> (billing: Int?, shipping: Int?) {
        let roll = random.unit()
        guard roll >= 0.06 else { return (nil, nil) }
        let billing = addAddress(customerID: customerID, kind: "billing", country: country)
        guard roll >= 0.72 else { return (billing, nil) }
        return (billing, addAddress(customerID: customerID, kind: "shipping", country: country))
    }

    private mutating func addAddress(customerID: Int, kind: String, country: Int) -> Int {
        let id = (data.rows["addresses"]?.count ?? 0) + 1
        let place = NameLists.countries[country]
        let line = "\(random.int(1...180)) \(random.pick(NameLists.streets)) \(random.pick(NameLists.streetKinds))"
        let postcode = String(place.postcode.map { $0 == "#" ? Character(String(random.int(0...9))) : $0 })
        append(
            "addresses",
            [SQLValue(id), SQLValue(customerID), .text(kind), .text(line), .text(random.pick(place.cities)), .text(postcode), .text(place.code)])
        return id
    }

    private mutating func uniqueEmail(first: String, last: String, taken: inout Set<String>) -> String {
        let first = Self.asciiLetters(first)
        let last = Self.asciiLetters(last)
        let local =
            switch random.int(0...2) {
            case 0: "\(first).\(last)"
            case 1: "\(first.prefix(1)).\(last)"
            default: "\(first)\(last)"
            }
        let domain = NameLists.emailDomains[random.weighted(NameLists.emailDomains.map(\.weight))].domain
        var email = "\(local)@\(domain)"
        var number = 2
        while !taken.insert(email).inserted {
            email = "\(local)\(number)@\(domain)"
            number += 1
        }
        return email
    }

    private mutating func digits(count: Int) -> String {
        String((0..<count).map { _ in Character(String(random.int(0...9))) })
    }

    /// `olivia.smith@…` → `Olivia.Smith@…`: the same address to a person, a different text to SQL.
    static func capitalised(_ email: String) -> String {
        let parts = email.split(separator: "@", maxSplits: 1)
        let local = parts[0].split(separator: ".", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return local.joined(separator: ".") + "@" + parts[1]
    }

    /// Lowercase ASCII letters only, accents folded (`Müller` → `muller`, `O'Brien` → `obrien`).
    static func asciiLetters(_ name: String) -> String {
        let folded: [Character: String] = [
            "é": "e", "è": "e", "ë": "e", "á": "a", "à": "a", "í": "i", "ó": "o", "ö": "o", "ú": "u", "ü": "u", "ñ": "n", "ç": "c",
        ]
        return name.lowercased().map { folded[$0] ?? ($0.isASCII && $0.isLetter ? String($0) : "") }.joined()
    }
}
