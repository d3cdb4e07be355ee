// maven-invoker-plugin post-build check (see ../zero-shot-app/check-output.groovy)
expectedBackend = 'djl'
evaluate(new File(basedir, '../zero-shot-app/check-output.groovy'))
return true
