// Checks what ZeroShotApp printed into an invoker build.log. Evaluated by the verify.groovy of
// zero-shot-app-djl and zero-shot-app-onnx with `basedir` (the sample) and `expectedBackend` bound;
// returns the class probabilities and leaves `probabilitiesIn` (build.log -> probabilities) in the binding.
probabilitiesIn = { File buildLog ->
  def found = [:]
  (buildLog.text =~ /(?m)^probability (.+): ([0-9.]+)$/).each { all, name, p -> found[name] = p as double }
  found
}
def log = new File(basedir, 'build.log').text
def classes = ['Atelectasis', 'Cardiomegaly', 'Consolidation', 'Edema', 'Pleural Effusion']

assert log.contains("wrote ") : 'SyntheticImage wrote no image'
def backend = (log =~ /(?m)^backend: (\S+)$/)
assert backend.find() : 'ZeroShotApp printed no "backend:" line'
assert backend.group(1) == expectedBackend : "ServiceLoader chose ${backend.group(1)}, expected ${expectedBackend}"

def probabilities = probabilitiesIn(new File(basedir, 'build.log'))
assert probabilities.keySet() as List == classes : "classes printed: ${probabilities.keySet()}"
probabilities.each { name, p -> assert p > 0 && p < 1 : "probability of ${name} is ${p}" }
def sum = probabilities.values().sum()
assert Math.abs(sum - 1.0d) < 1e-4 : "probabilities sum to ${sum}"
// a model that ran gives different scores to different captions; all equal means the towers did nothing
assert probabilities.values().toSet().size() > 1 : "every class has the same probability: ${probabilities}"

def prediction = (log =~ /(?m)^prediction: (.+)$/)
assert prediction.find() : 'ZeroShotApp printed no prediction'
def best = probabilities.max { it.value }.key
assert prediction.group(1) == best : "prediction ${prediction.group(1)} is not the most probable class ${best}"
println "zero-shot sample on ${expectedBackend}: ${probabilities}"
return probabilities
