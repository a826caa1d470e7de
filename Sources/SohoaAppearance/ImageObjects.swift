import SohoaPDF

extension SealImage {
    /// The image XObject (DeviceRGB) and, when the seal has transparency, its soft mask
    /// (DeviceGray); the image first.
    func objects(allocate: () -> Int, numbers: inout ObjectNumbers) throws(AppearanceError) -> (image: Int, objects: [PDFObject]) {
        let image = try numbers.take(allocate())
        func dictionary(colourSpace: String, colours: Int) -> String {
            "<< /Type /XObject /Subtype /Image /Width \(width) /Height \(height) /ColorSpace \(colourSpace) "
                + "/BitsPerComponent 8 /Filter /FlateDecode "
                + "/DecodeParms << /Predictor 15 /Colors \(colours) /BitsPerComponent 8 /Columns \(width) >>"
        }
        guard let alphaStream else {
            return (image, [PDFObject(id: image, dictionary: dictionary(colourSpace: "/DeviceRGB", colours: 3) + " >>",
                                      streamData: colourStream)])
        }
        let mask = try numbers.take(allocate())
        return (image, [
            PDFObject(id: image, dictionary: dictionary(colourSpace: "/DeviceRGB", colours: 3)
                + " /SMask \(PDFSyntax.reference(mask)) >>", streamData: colourStream),
            PDFObject(id: mask, dictionary: dictionary(colourSpace: "/DeviceGray", colours: 1) + " >>", streamData: alphaStream),
        ])
    }
}
