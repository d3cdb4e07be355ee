// maven-invoker-plugin post-build check of TrainSample's run (target/run)
def log = new File(basedir, 'build.log').text
def steps = 10   // the pom's cleft.steps

assert (log =~ /(?m)^backend: djl$/).find() : 'ServiceLoader did not choose the djl backend for TRAINING'
['pretrain', 'prompt'].each { stage ->
  def losses = (log =~ /(?m)^${stage} step \d+\/${steps} loss (\S+) lr \S+$/).collect { it[1] as double }
  assert losses.size() == steps : "${stage}: ${losses.size()} step lines, expected ${steps}"
  losses.each { assert !it.isNaN() && !it.isInfinite() : "${stage}: loss ${it}" }
  assert (log =~ /(?m)^${stage} done: ${steps} steps/).find() : "${stage}: no summary line"
}

def checkpoint = { stage ->
  def m = (log =~ /(?m)^${stage} checkpoint: (.+)$/)
  assert m.find() : "${stage}: no checkpoint line"
  def dir = new File(m.group(1))
  assert new File(dir, 'cleft.json').isFile() : "${stage}: no cleft.json in ${dir}"
  dir
}
def pretrained = checkpoint('pretrain')
def tuned = checkpoint('prompt')

// pre-training changed the LoRA weights it was given
def base = new File(basedir, 'target/run/base/lora/adapter_model.safetensors')
def trained = new File(pretrained, 'lora/adapter_model.safetensors')
assert trained.isFile() : "no LoRA adapter in ${pretrained}"
assert base.bytes != trained.bytes : 'the pre-trained LoRA adapter equals the base one'

// prompt tuning wrote its context vectors and named them in cleft.json
def manifest = new groovy.json.JsonSlurper().parse(new File(tuned, 'cleft.json'))
assert manifest.prompt?.path : "no prompt in ${tuned}/cleft.json"
assert new File(tuned, manifest.prompt.path).isFile() : "missing ${manifest.prompt.path} in ${tuned}"
return true
