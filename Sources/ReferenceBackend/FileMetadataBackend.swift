import Hummingbird

/// Plausible bugs in a `file-metadata` solution, each caught by one stage.
enum FileMetadataMutant: String, MutantCase {
    case noForm = "no-form"
    case formFieldNamedFile = "form-field-named-file"
    case storedName = "stored-name"
    case sizeAsText = "size-as-text"
    case wrongField = "wrong-field"
    case sizeInCharacters = "size-in-characters"
    case noCORS = "no-cors"

    var stage: String {
        switch self {
        case .noForm, .formFieldNamedFile: "form"
        case .storedName, .sizeAsText, .wrongField: "analyse"
        case .sizeInCharacters: "bytes"
        case .noCORS: "cors"
        }
    }

    var bug: String {
        switch self {
        case .noForm: "GET / answers 404: the API works, but there is no page with the upload form"
        case .formFieldNamedFile: "the form's file field is named 'file', so a browser sends the upload in a field the API does not read"
        case .storedName: "name is the name the upload was stored under (multer's filename), not the client's originalname"
        case .sizeAsText: "size is answered as a text (\"40\"), not a number"
        case .wrongField: "the upload is read from the field 'file', not 'upfile', so every upload is missing"
        case .sizeInCharacters: "size counts the characters of the decoded text, not the bytes of the file"
        case .noCORS: "no Access-Control-Allow-Origin header, so a page on another origin cannot read the answers"
        }
    }
}

/// The correct `file-metadata` solution (or one mutant of it): `GET /` serves the upload form, and
/// `POST /api/fileanalyse` takes a multipart upload in the field `upfile` and answers its name,
/// type and size in bytes.
struct FileMetadataBackend {
    let mutant: FileMetadataMutant?

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.allowAnyOrigin(mutant != .noCORS)
        if mutant != .noForm {
            let field = mutant == .formFieldNamedFile ? "file" : "upfile"
            router.get("/") { _, _ in JSON.html(Self.formPage(field: field)) }
        }
        router.post("/api/fileanalyse") { [mutant] request, _ in
            let field = mutant == .wrongField ? "file" : "upfile"
            guard let form = try await MultipartForm.read(request),
                let file = form.parts.first(where: { $0.name == field && $0.filename != nil })
            else {
                return JSON.error(.badRequest, "Send a file in the multipart field 'upfile'")
            }
            let size = mutant == .sizeInCharacters ? String(decoding: file.data, as: UTF8.self).count : file.data.count
            var answer: [String: Any] = [
                "name": mutant == .storedName ? "upload-\(UInt32.random(in: .min ... .max))" : file.filename ?? "",
                "type": file.contentType ?? "application/octet-stream",
                "size": size,
            ]
            if mutant == .sizeAsText { answer["size"] = String(size) }
            return JSON.response(answer)
        }
        return router
    }

    /// The page a person uploads from.
    static func formPage(field: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>File metadata</title></head>
        <body>
          <h1>File metadata</h1>
          <form action="/api/fileanalyse" method="POST" enctype="multipart/form-data">
            <input type="file" name="\(field)">
            <button type="submit">Analyse</button>
          </form>
        </body>
        </html>
        """
    }
}
