// Checks what ZeroShotApp printed into an invoker build.log. Evaluated by the verify.groovy of
// zero-shot-app-djl and zero-shot-app-onnx with `basedir` (the sample) and `expectedBackend` bound;
// returns, per image file, its class probabilities, and leaves `probabilitiesIn` (build.log -> that map) in the
// binding.
probabilitiesIn = { File buildLog ->
  def found = [:]
  def current = null
  buildLog.eachLine { line ->
    def image = (line =~ /^image: (.+)$/)
    def probability = (line =~ /^probability (.+): ([0-9.]+)$/)
    if (image.find()) {
      current = [:]
      found[image.group(1)] = current
    } else if (probability.find()) {
      assert current != null : "a probability before any 'image:' line: ${line}"
      current[probability.group(1)] = probability.group(2) as double
    }
  }
  found
}
def log = new File(basedir, 'build.log').text
def classes = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Pleural Effusion']

assert log.contains("wrote ") : 'SyntheticImage wrote no image'
def backend = (log =~ /(?m)^backend: (\S+)$/)
assert backend.find() : 'ZeroShotApp printed no "backend:" line'
assert backend.group(1) == expectedBackend : "ServiceLoader chose ${backend.group(1)}, expected ${expectedBackend}"

def images = probabilitiesIn(new File(basedir, 'build.log'))
assert images.keySet().collect { it.substring(it.lastIndexOf('.')) } == ['.png', '.dcm'] :
    "images classified: ${images.keySet()} (expected the PNG, then the DICOM file)"
def predictions = (log =~ /(?m)^prediction: (.+)$/).collect { it[1] }
assert predictions.size() == images.size() : "predictions printed: ${predictions}"
images.eachWithIndex { image, probabilities, i ->
  assert probabilities.keySet() as List == classes : "classes printed for ${image}: ${probabilities.keySet()}"
  probabilities.each { name, p -> assert p > 0 && p < 1 : "${image}: probability of ${name} is ${p}" }
  def sum = probabilities.values().sum()
  assert Math.abs(sum - 1.0d) < 1e-4 : "${image}: probabilities sum to ${sum}"
  // a model that ran gives different scores to different captions; all equal means the towers did nothing
  assert probabilities.values().toSet().size() > 1 : "${image}: every class has the same probability"
  def best = probabilities.max { it.value }.key
  assert predictions[i] == best : "${image}: prediction ${predictions[i]} is not the most probable class ${best}"
}
println "zero-shot sample on ${expectedBackend}: ${images}"
return images
