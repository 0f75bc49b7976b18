import Foundation

/// Checks a decoded JSON value against the subset of JSON Schema our OpenAPI document uses
/// (type, properties, required, additionalProperties: false, items, enum, minimum/maximum,
/// minLength/maxLength, pattern, $ref). Returns every mismatch with its JSON path.
struct SchemaValidator: @unchecked Sendable {  // the document is never mutated
    let document: [String: Any]

    func errors(_ value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let reference = schema["$ref"] as? String {
            return errors(value, against: resolve(reference), at: path)
        }
        var found: [String] = []
        if let type = schema["type"] as? String, !matches(value, type: type) {
            return ["\(path): expected \(type), got \(Swift.type(of: value)) \(value)"]
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        if let number = (value as? NSNumber)?.doubleValue {
            if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, number < minimum { found.append("\(path): \(number) < \(minimum)") }
            if let maximum = (schema["maximum"] as? NSNumber)?.doubleValue, number > maximum { found.append("\(path): \(number) > \(maximum)") }
        }
        if let text = value as? String {
            if let minimum = schema["minLength"] as? Int, text.count < minimum { found.append("\(path): shorter than \(minimum)") }
            if let maximum = schema["maxLength"] as? Int, text.count > maximum { found.append("\(path): longer than \(maximum)") }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): '\(text)' does not match \(pattern)")
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                found.append("\(path): missing required '\(name)'")
            }
            for (name, item) in object {
                if let propertySchema = properties[name] as? [String: Any] {
                    found += errors(item, against: propertySchema, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): unexpected property '\(name)'")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                found += errors(item, against: items, at: "\(path)[\(index)]")
            }
        }
        return found
    }

    func resolve(_ reference: String) -> [String: Any] {
        var node: Any = document
        for part in reference.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)] ?? [:]
        }
        return node as? [String: Any] ?? [:]
    }

    private func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is Bool
        case "integer": return (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return value is NSNumber
        case "null": return value is NSNull
        default: return false
        }
    }

}
