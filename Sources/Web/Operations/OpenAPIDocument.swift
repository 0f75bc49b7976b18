import Foundation
import LabKit

/// The OpenAPI document as served: `openapi.yaml` with what only the running server knows filled
/// in — the labs it has, so the schema of an uploaded report accepts exactly the reports the
/// server stores (a report names one of these labs, and its stages are that lab's, from the
/// first, in order).
enum OpenAPIDocument {
    /// The line in `openapi.yaml` that stands where the per-lab variants go.
    static let labVariantsMarker = "# lab-report-variants"

    static func served(labs: LabCatalog) throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else {
            throw UserFacingError(.internalServerError, "openapi.yaml is missing from the build.")
        }
        return try withLabVariants(text, labs: labs.labs)
    }

    /// `text` with its marker line replaced by a `oneOf` of one variant per lab (JSON, which is
    /// YAML too, on the marker's line and at its indentation).
    static func withLabVariants(_ text: String, labs: [Lab]) throws -> String {
        var lines = text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == labVariantsMarker }) else {
            throw UserFacingError(.internalServerError, "openapi.yaml has no '\(labVariantsMarker)' line.")
        }
        let indentation = String(lines[index].prefix { $0 == " " })
        let variants = labs.map { lab -> [String: Any] in
            let stages = lab.stages.map { ["properties": ["id": ["const": $0.id]]] }
            return [
                "title": lab.id,
                "properties": [
                    "lab": ["const": lab.id],
                    "stages": ["maxItems": lab.stages.count, "prefixItems": stages],
                ],
            ]
        }
        let json = try JSONSerialization.data(withJSONObject: variants, options: [.sortedKeys, .withoutEscapingSlashes])
        lines[index] = indentation + "oneOf: " + String(decoding: json, as: UTF8.self)
        return lines.joined(separator: "\n")
    }
}
