"""Lookup questions, dev set (104): templates from `draw` with seed 1204, 13 per system.

Written in full sentences, as an on-call engineer types them in a channel. Each comment quotes
the drawn template's opening (Loghub's words) so a reader can judge the label without the data.
"""
from __future__ import annotations

from bench.lookup import LookupQuestion as Q

QUESTIONS = [
    # --- Hadoop -------------------------------------------------------------------------------
    # E10 "Address change detected. Old: … New: …"
    Q("hadoop-ipswitch-en", "en", "Hadoop", ("E10",),
      "What happened when Hadoop clients noticed a server's IP address had moved?", "what_happened"),
    # E18 "attempt_… TaskAttempt Transitioned from RUNNING to FAIL_CONTAINER_CLEANUP"
    Q("hadoop-runtocleanup-fr", "fr", "Hadoop", ("E18",),
      "Quelles tentatives de tâche Hadoop sont passées directement de l'exécution au nettoyage "
      "de conteneur en échec ?", "which"),
    # E38 "ERROR IN CONTACTING RM."
    Q("hadoop-rmunreachable-en", "en", "Hadoop", ("E38",),
      "How many times could the MapReduce allocator not reach the resource manager?", "how_many"),
    # E74 "Opening proxy : …"
    Q("hadoop-nmproxy-fr", "fr", "Hadoop", ("E74",),
      "Quand une connexion proxy vers un NodeManager a-t-elle été ouverte pour la dernière fois ?", "when"),
    # E44 "Failed to renew lease for [DFSClient_NONMAPREDUCE_…] for … seconds. Will retry shortly"
    Q("hadoop-leasestuck-en", "en", "Hadoop", ("E44",),
      "Is any Hadoop job's DFSClient stuck, unable to keep its lease alive?", "is_there"),
    # E59 "JVM with ID: jvm_… given task: …"
    Q("hadoop-jvmtasks-fr", "fr", "Hadoop", ("E59",),
      "Quelles tâches ont été confiées aux JVM des conteneurs Hadoop ?", "which"),
    # E101 "Task: attempt_… - exited : java.net.NoRouteToHostException: No Route to Host from …";
    # E35 is the same failure as the attempt's diagnostics report
    Q("hadoop-noroute-en", "en", "Hadoop", ("E101", "E35"),
      "Which Hadoop attempts died with a NoRouteToHostException?", "which"),
    # E60 "KILLING attempt_…"; E34 "… Container killed by the ApplicationMaster."
    Q("hadoop-killedattempts-fr", "fr", "Hadoop", ("E60", "E34"),
      "Qu'est-il arrivé aux tentatives que le lanceur de conteneurs a dû tuer ?", "what_happened"),
    # E99 "Task cleanup failed for attempt attempt_…"
    Q("hadoop-cleanupbroke-en", "en", "Hadoop", ("E99",),
      "Did tidying up after an attempt go wrong anywhere in the MapReduce job?", "is_there"),
    # E23 "Auth successful for job_… (auth:SIMPLE)"
    Q("hadoop-jobauth-fr", "fr", "Hadoop", ("E23",),
      "Combien de jobs se sont authentifiés sans problème auprès du serveur IPC Hadoop ?", "how_many"),
    # E45 "getResources() for application_…: ask=… release= … newContainers=… resourcelimit=…"
    Q("hadoop-getresources-en", "en", "Hadoop", ("E45",),
      "List the container asks the app master sent to YARN through getResources()", "list"),
    # E24 "Before Scheduling: PendingReds:… ScheduledMaps:… …"
    Q("hadoop-beforesched-fr", "fr", "Hadoop", ("E24",),
      "Montre l'état des maps et reduces en attente juste avant chaque passe de planification "
      "Hadoop", "list"),
    # E83 "Recalculating schedule, headroom=<memory:…, vCores:…>"
    Q("hadoop-headroom-en", "en", "Hadoop", ("E83",),
      "How many times did the allocator redo its plan based on the memory headroom left?", "how_many"),

    # --- OpenSSH ------------------------------------------------------------------------------
    # E9 "Failed password for … from … port … ssh2"; E14 "message repeated … times: [ Failed password for root …]"
    Q("ssh-badpassword-en", "en", "OpenSSH", ("E9", "E14"),
      "How many bad-password logins against real accounts like root did sshd reject?", "how_many"),
    # E18 "PAM service(sshd) ignoring max retries; … > …"
    Q("ssh-pammaxretries-fr", "fr", "OpenSSH", ("E18",),
      "Est-ce que PAM a ignoré la limite de tentatives sur le serveur SSH ?", "is_there"),
    # E27 "reverse mapping checking getaddrinfo for … failed - POSSIBLE BREAK-IN ATTEMPT!"
    Q("ssh-dnsmismatch-en", "en", "OpenSSH", ("E27",),
      "Which hosts got flagged as suspected intruders because their DNS name didn't resolve back?",
      "which"),
    # E25 "Received disconnect from …: …: Closed due to user request. [preauth]";
    # E26 "… disconnected by user"
    Q("ssh-userclosed-fr", "fr", "OpenSSH", ("E25", "E26"),
      "Combien de déconnexions SSH ont été demandées par l'utilisateur lui-même ?", "how_many"),
    # E14 "message repeated … times: [ Failed password for root from … port …]"
    Q("ssh-repeatedroot-en", "en", "OpenSSH", ("E14",),
      "Is there any place where syslog folded several of root's bad logins into one line?", "is_there"),
    # E24 "Received disconnect from …: …: Bye Bye [preauth]"
    Q("ssh-byebye-fr", "fr", "OpenSSH", ("E24",),
      "Combien de sessions sshd se sont terminées par un « Bye Bye » du client ?", "how_many"),
    # E7 "error: Received disconnect from …: …: No more user authentication methods available. [preauth]"
    Q("ssh-nomethods-en", "en", "OpenSSH", ("E7",),
      "List the SSH clients that gave up because the server had no login method left to offer",
      "list"),
    # E21 "pam_unix(sshd:auth): check pass; user unknown"; E10 "Failed password for invalid user …"
    Q("ssh-unknownuser-fr", "fr", "OpenSSH", ("E21", "E10"),
      "Combien de vérifications de mot de passe ont échoué parce que le compte n'existe pas ?",
      "how_many"),
    # E19 "pam_unix(sshd:auth): authentication failure; logname= uid=… rhost=…" (no user=)
    Q("ssh-pamnouser-en", "en", "OpenSSH", ("E19",),
      "How many pam_unix rejections on sshd didn't say which account was targeted?", "how_many"),
    # E20 "pam_unix(sshd:auth): authentication failure; … rhost=… user=…"; E17 "PAM … more
    # authentication failures; … user=root"
    Q("ssh-pamaccounts-fr", "fr", "OpenSSH", ("E20", "E17"),
      "Quels comptes sont visés par les refus d'authentification PAM qui donnent un nom "
      "d'utilisateur ?", "which"),
    # E6 "error: Received disconnect from …: …: com.jcraft.jsch.JSchException: Auth fail [preauth]"
    Q("ssh-jsch-en", "en", "OpenSSH", ("E6",),
      "Did any Java client fail to log in over SSH with a JSchException?", "is_there"),
    # E3 "Did not receive identification string from …"
    Q("ssh-nobanner-fr", "fr", "OpenSSH", ("E3",),
      "Quelles connexions SSH n'ont jamais envoyé leur bannière d'identification ?", "which"),
    # E2 "Connection closed by … [preauth]"
    Q("ssh-hungup-en", "en", "OpenSSH", ("E2",),
      "How many times did the remote end simply hang up before logging in, without a goodbye "
      "message?", "how_many"),

    # --- Zookeeper ----------------------------------------------------------------------------
    # E11 "Connection broken for id …, my id = …, error ="
    Q("zk-peerlinks-fr", "fr", "Zookeeper", ("E11",),
      "Combien de liens entre pairs du quorum ZooKeeper se sont rompus ?", "how_many"),
    # E28 "minSessionTimeout set to …"
    Q("zk-minsession-en", "en", "Zookeeper", ("E28",),
      "What minSessionTimeout did the ZooKeeper servers start with?", "other"),
    # E42 "Send worker leaving thread"
    Q("zk-senderstop-fr", "fr", "Zookeeper", ("E42",),
      "Quand un thread d'envoi du quorum s'est-il arrêté pour la dernière fois ?", "when"),
    # E44 "Server environment:…"
    Q("zk-environment-en", "en", "Zookeeper", ("E44",),
      "List the server environment settings ZooKeeper printed at startup (java version, host "
      "name…)", "list"),
    # E1 "******* GOODBYE /…:… ********"
    Q("zk-goodbye-fr", "fr", "Zookeeper", ("E1",),
      "Qu'est-il arrivé aux followers qui ont dit au revoir au leader ZooKeeper ?", "what_happened"),
    # E8 "Client attempting to renew session … at …"; E41 "Revalidating client: …"
    Q("zk-sessionback-en", "en", "Zookeeper", ("E8", "E41"),
      "Did any client come back to pick up a session it already had?", "is_there"),
    # E6 "caught end of stream exception"
    Q("zk-eos-fr", "fr", "Zookeeper", ("E6",),
      "Est-ce que ZooKeeper a levé des EndOfStreamException quand des clients ont coupé ?", "is_there"),
    # E3 "autopurge.purgeInterval set to …"
    Q("zk-purgeevery-en", "en", "Zookeeper", ("E3",),
      "How often is the coordination service configured to clean out old snapshots?", "other"),
    # E49 "Unexpected exception causing shutdown while sock still open"
    Q("zk-learnershut-fr", "fr", "Zookeeper", ("E49",),
      "Qu'est-il arrivé aux gestionnaires de followers fermés alors que la socket était encore "
      "ouverte ?", "what_happened"),
    # E19 "FOLLOWING - LEADER ELECTION TOOK - …"
    Q("zk-electiontime-en", "en", "Zookeeper", ("E19",),
      "How long did the leader election take when a ZooKeeper node became a follower?", "how_long"),
    # E5 "Cannot open channel to … at election address /…:…"
    Q("zk-voteport-fr", "fr", "Zookeeper", ("E5",),
      "Quels serveurs ZooKeeper étaient injoignables sur leur port d'élection ?", "which"),
    # E13 "Established session … with negotiated timeout … for client …"
    Q("zk-agreedexpiry-en", "en", "Zookeeper", ("E13",),
      "What expiry did each new connection agree on with the server?", "which"),
    # E14 "Exception causing close of session … due to java.io.IOException: ZooKeeperServer not running"
    Q("zk-notrunning-fr", "fr", "Zookeeper", ("E14",),
      "Est-ce que des sessions ont été coupées parce que le serveur ne tournait pas ?", "is_there"),

    # --- OpenStack ----------------------------------------------------------------------------
    # E42 "Unknown base file: /var/lib/nova/instances/_base/…"
    Q("nova-unknownbase-en", "en", "OpenStack", ("E42",),
      "Which files under /_base/ does nova not recognise?", "which"),
    # E5 "[instance: …] Deletion of … complete"
    Q("nova-deletiondone-fr", "fr", "OpenStack", ("E5",),
      "Combien de suppressions de fichiers d'instance sont allées jusqu'au bout ?", "how_many"),
    # E27 "Active base files: …"
    Q("nova-activebase-en", "en", "OpenStack", ("E27",),
      "List the base images the OpenStack image cache considers active", "list"),
    # E1 "[instance: …] Attempting claim: memory … MB, disk … GB, vcpus … CPU"
    Q("nova-claimsize-fr", "fr", "OpenStack", ("E1",),
      "Quelle mémoire et quel disque les instances OpenStack ont-elles réclamés ?", "which"),
    # E35 "image … at (…): in use: on this node … local, … on other nodes sharing this instance storage"
    Q("nova-imagesinuse-en", "en", "OpenStack", ("E35",),
      "List the cached images still backing VMs on the compute host", "list"),
    # E17 "[instance: …] Total memory: … MB, used: … MB"
    Q("nova-ramused-fr", "fr", "OpenStack", ("E17",),
      "Combien de RAM était déjà consommée sur l'hôte quand nova a réclamé de la place pour une VM ?",
      "other"),
    # E31 "Creating event network-vif-plugged:… for instance …"
    Q("nova-vifplug-en", "en", "OpenStack", ("E31",),
      "Which VMs got the notification that their virtual NIC was hooked up?", "which"),
    # E12 "[instance: …] Took … seconds to build instance."
    Q("nova-buildtime-fr", "fr", "OpenStack", ("E12",),
      "Combien de temps a pris la construction des VM sur nova ?", "how_long"),
    # E13 "[instance: …] Took … seconds to deallocate network for instance."
    Q("nova-netrelease-en", "en", "OpenStack", ("E13",),
      "How long did it take to release the networking of VMs being torn down?", "how_long"),
    # E11 "[instance: …] Terminating instance"; E8 "[instance: …] Instance destroyed successfully."
    Q("nova-terminated-fr", "fr", "OpenStack", ("E11", "E8"),
      "Quelles instances OpenStack ont été supprimées pour de bon ?", "which"),
    # E34 "image … at (…): checking"
    Q("nova-cacheaudit-en", "en", "OpenStack", ("E34",),
      "Is there any trace of the cache manager going over each base image one by one?", "is_there"),
    # E24 "… \"DELETE …\" status: … len: … time: …"
    Q("nova-apidelete-fr", "fr", "OpenStack", ("E24",),
      "Quand l'API nova a-t-elle reçu une requête DELETE pour la dernière fois ?", "when"),
    # E2 "[instance: …] Claim successful"
    Q("nova-claimok-en", "en", "OpenStack", ("E2",),
      "Did the resource reservations for new VMs on OpenStack go through?", "other"),

    # --- Spark --------------------------------------------------------------------------------
    # E11 "Got assigned task …"
    Q("spark-handedtasks-en", "en", "Spark", ("E11",),
      "How many tasks did the Spark executors get handed?", "how_many"),
    # E35 "Times: total = …, boot = …, init = …, finish = …"
    Q("spark-pyworkertime-fr", "fr", "Spark", ("E35",),
      "Combien de temps les workers Python de Spark ont-ils mis au total, démarrage compris ?",
      "how_long"),
    # E8 "File Output Committer Algorithm version is …"
    Q("spark-committerversion-en", "en", "Spark", ("E8",),
      "Which FileOutputCommitter algorithm version is in use?", "which"),
    # E1 "attempt_…: Committed"
    Q("spark-committed-fr", "fr", "Spark", ("E1",),
      "Quelles tentatives de tâche Spark ont été validées (commit) ?", "which"),
    # E24 "Running task … in stage … (TID …)"
    Q("spark-busystages-en", "en", "Spark", ("E24",),
      "When did an executor last pick up work on a stage?", "when"),
    # E20 "Reading broadcast variable … took … ms"
    Q("spark-broadcastread-fr", "fr", "Spark", ("E20",),
      "Combien de millisecondes a pris la lecture des variables broadcast ?", "how_long"),
    # E2 "Block … stored as bytes in memory (estimated size …, free …)"
    Q("spark-serializedcache-en", "en", "Spark", ("E2",),
      "How much memory did Spark's MemoryStore use to cache serialized blocks?", "how_many"),
    # E25 "Saved output of task 'attempt_…' to hdfs://…"
    Q("spark-outputdirs-fr", "fr", "Spark", ("E25",),
      "Dans quels répertoires HDFS les tâches Spark ont-elles sauvegardé leurs fichiers ?", "which"),
    # E19 "Partition rdd_… not found, computing it"
    Q("spark-recompute-en", "en", "Spark", ("E19",),
      "Why is Spark recomputing RDD partitions instead of reusing them?", "other"),
    # E5 "Changing view acls to: …"; E26 "SecurityManager: … users with view permissions: …"
    Q("spark-viewers-fr", "fr", "Spark", ("E5", "E26"),
      "Qui a le droit de consulter les jobs Spark (ACL de lecture) ?", "which"),
    # E9 "Finished task … in stage … (TID …). … bytes result sent to driver"
    Q("spark-tasksdone-en", "en", "Spark", ("E9",),
      "How many executor tasks completed and reported back?", "how_many"),
    # E10 "Found block rdd_… locally"
    Q("spark-localblocks-fr", "fr", "Spark", ("E10",),
      "Est-ce que les exécuteurs ont retrouvé sur place des blocs rdd_2_0 ou voisins déjà en cache ?",
      "is_there"),
    # E12 "Input split: hdfs://…"
    Q("spark-inputchunks-en", "en", "Spark", ("E12",),
      "Which HDFS input chunks did the Spark tasks read?", "which"),

    # --- HDFS ---------------------------------------------------------------------------------
    # E3 "…:…:Got exception while serving blk_… to /…:"
    Q("hdfs-serveexc-fr", "fr", "HDFS", ("E3",),
      "Quels datanodes HDFS ont eu une exception en envoyant des blocs à un lecteur ?", "which"),
    # E11 "Received block blk_… of size … from /…"; E12 "Received block blk_… src: … dest: … of size …"
    Q("hdfs-blocksin-en", "en", "HDFS", ("E11", "E12"),
      "How many blocks did the datanodes finish taking in, and how big were they?", "how_many"),
    # E6 "BLOCK* NameSystem.addStoredBlock: blockMap updated: … is added to blk_… size …"
    Q("hdfs-replicasrecorded-fr", "fr", "HDFS", ("E6",),
      "Combien de répliques de blocs le namenode a-t-il enregistrées dans sa table ?", "how_many"),
    # E8 "BLOCK* NameSystem.delete: blk_… is added to invalidSet of …"
    Q("hdfs-invalidated-en", "en", "HDFS", ("E8",),
      "Which blocks did the HDFS namenode mark for invalidation after a delete?", "which"),
    # E7 "BLOCK* NameSystem.allocateBlock: /…/part-…. blk_…"
    Q("hdfs-lastalloc-fr", "fr", "HDFS", ("E7",),
      "Quand le namenode HDFS a-t-il fait un allocateBlock pour la dernière fois ?", "when"),
    # E1 "…:… Served block blk_… to /…"
    Q("hdfs-served-en", "en", "HDFS", ("E1",),
      "List the blocks HDFS datanodes served to clients", "list"),
    # E9 "Deleting block blk_… file /…/blk_…"
    Q("hdfs-filesremoved-fr", "fr", "HDFS", ("E9",),
      "Liste les fichiers de blocs effacés du disque des datanodes HDFS", "list"),
    # E13 "Receiving block blk_… src: /…:… dest: /…:…"
    Q("hdfs-laststartrecv-en", "en", "HDFS", ("E13",),
      "When did a datanode last start taking in a block from the write pipeline?", "when"),
    # E4 "BLOCK* ask …:… to delete blk_…"
    Q("hdfs-askdelete-fr", "fr", "HDFS", ("E4",),
      "Est-ce que le namenode a demandé à des datanodes de supprimer des blocs ?", "is_there"),
    # E12 "Received block blk_… src: /…:… dest: /…:… of size …"
    Q("hdfs-recvsrcdest-en", "en", "HDFS", ("E12",),
      "Is there any completed HDFS block receipt that also names the sender and the destination?",
      "is_there"),
    # E10 "PacketResponder … for block blk_… terminating"
    Q("hdfs-responders-fr", "fr", "HDFS", ("E10",),
      "Combien de PacketResponder se sont arrêtés ?", "how_many"),
    # E14 "Verification succeeded for blk_…"
    Q("hdfs-scannerok-en", "en", "HDFS", ("E14",),
      "Did the HDFS block scanner confirm any blocks as healthy?", "is_there"),
    # E3 again, other shape
    Q("hdfs-whyreadsfail-fr", "fr", "HDFS", ("E3",),
      "Pourquoi des lectures de blocs ont-elles planté côté datanode ?", "other"),

    # --- Apache -------------------------------------------------------------------------------
    # E5 "jk2_init() Can't find child … in scoreboard"
    Q("apache-childmissing-en", "en", "Apache", ("E5",),
      "Which worker processes could the Apache JK connector not locate in the scoreboard?", "which"),
    # E1 "jk2_init() Found child … in scoreboard slot …"
    Q("apache-childslots-fr", "fr", "Apache", ("E1",),
      "Liste les emplacements du tableau de bord où httpd a repéré ses processus fils", "list"),
    # E3 "mod_jk child workerEnv in error state …"
    Q("apache-jkbroken-en", "en", "Apache", ("E3",),
      "How many times was an Apache child's JK worker environment flagged as broken?", "how_many"),
    # E2 "workerEnv.init() ok …"
    Q("apache-workerenvok-fr", "fr", "Apache", ("E2",),
      "Est-ce que l'initialisation de workerEnv s'est bien passée sur Apache ?", "other"),
    # E6 "mod_jk child init … …"
    Q("apache-jkinitcode-en", "en", "Apache", ("E6",),
      "Which mod_jk children failed during init, and with what code?", "which"),
    # E4 "[client …] Directory index forbidden by rule: …"
    Q("apache-nolisting-fr", "fr", "Apache", ("E4",),
      "Quels clients se sont vu refuser le listage d'un répertoire par Apache ?", "which"),
    # E6 again
    Q("apache-jkinitcount-en", "en", "Apache", ("E6",),
      "How many JK child startups came back with an error code?", "how_many"),
    # E2 again
    Q("apache-workerenvcount-fr", "fr", "Apache", ("E2",),
      "Combien de fois l'environnement des workers JK a-t-il démarré correctement ?", "how_many"),
    # E4 again
    Q("apache-noindexpage-en", "en", "Apache", ("E4",),
      "Is anyone hitting a folder on the web server that has no index page and browsing disabled?",
      "is_there"),
    # E1 again
    Q("apache-lastchildfound-fr", "fr", "Apache", ("E1",),
      "Quand httpd a-t-il retrouvé un processus fils dans le scoreboard pour la dernière fois ?",
      "when"),
    # E3 again
    Q("apache-lastjkerror-en", "en", "Apache", ("E3",),
      "When was the last time a JK workerEnv went bad on Apache?", "when"),
    # E5 again
    Q("apache-notfoundchildren-fr", "fr", "Apache", ("E5",),
      "Qu'est-il arrivé aux processus fils que jk2_init n'a pas trouvés ?", "what_happened"),
    # E4 a third time
    Q("apache-403dirs-en", "en", "Apache", ("E4",),
      "Why are clients getting 403s on /var/www/html/?", "other"),

    # --- BGL ----------------------------------------------------------------------------------
    # E43 "core configuration register: …"
    Q("bgl-ccr-fr", "fr", "BGL", ("E43",),
      "Quelles valeurs du registre de configuration du cœur ont été relevées dans les plantages BGL ?",
      "which"),
    # E1 "… ddr error(s) detected and corrected on rank …, symbol … over … seconds";
    # E119 "total of … ddr error(s) detected and corrected over … seconds"
    Q("bgl-ddrwindow-en", "en", "BGL", ("E1", "E119"),
      "How many DDR memory errors did Blue Gene fix over a time window?", "how_many"),
    # E116 "store operation.............................…" (a field of the kernel's crash report;
    # "data store interrupt caused by …" lines are other fields, hence the wording)
    Q("bgl-storeop-fr", "fr", "BGL", ("E116",),
      "Dans les rapports de crash du noyau, que vaut le champ « opération d'écriture » ?", "other"),
    # E82 "MACHINE CHECK DCR read timeout (mc=… iar … lr …)"
    Q("bgl-mcslowreg-en", "en", "BGL", ("E82",),
      "Were there machine checks on Blue Gene caused by slow control-register reads?", "is_there"),
    # E55 "data TLB error interrupt"
    Q("bgl-tlb-fr", "fr", "BGL", ("E55",),
      "Combien d'interruptions pour faute de TLB de données sur BGL ?", "how_many"),
    # E13 "… tree receiver … in re-synch state event(s) (dcr …) detected"; E14 the same "over … seconds"
    Q("bgl-treeresync-en", "en", "BGL", ("E13", "E14"),
      "Which tree network receivers fell out of sync and had to realign?", "which"),
    # E63 "floating pt ex mode … enable......…"
    Q("bgl-fpmodes-fr", "fr", "BGL", ("E63",),
      "Quels modes d'exception flottante étaient activés au moment des plantages ?", "which"),
    # E39 "ciod: Missing or invalid fields on line … of node map file …"; E20 "ciod: duplicate
    # canonical-rank … mapping at line … of node map file …"; E42 "ciod: Z coordinate … exceeds …"
    Q("bgl-badmapfile-en", "en", "BGL", ("E39", "E20", "E42"),
      "Did the I/O daemon reject lines of the node mapping file as malformed?", "is_there"),
    # E17 "Can not get assembly information for node card"
    Q("bgl-nodecardinfo-fr", "fr", "BGL", ("E17",),
      "Est-ce que la découverte matérielle BGL a échoué à lire les infos d'assemblage des cartes "
      "de nœuds ?", "is_there"),
    # E12 "… total interrupts. 0 critical input interrupts. … microseconds total spent on critical input interrupts, …"
    Q("bgl-urgentirq-en", "en", "BGL", ("E12",),
      "How long did Blue Gene spend handling urgent interrupts?", "how_long"),
    # E72 "icache prefetch threshold................…"
    Q("bgl-prefetch-fr", "fr", "BGL", ("E72",),
      "Quel seuil de préchargement du cache d'instructions figure dans les dumps ?", "other"),
    # E2 "… ddr errors(s) detected and corrected on rank …, symbol …, bit …"; E18 "CE sym …, at …,
    # mask …" (each correctable error, with its symbol and bit mask)
    Q("bgl-ddrbits-en", "en", "BGL", ("E2", "E18"),
      "Which memory chips and bit positions had faults fixed on the fly on BGL?", "which"),
    # E99 "program interrupt: fp cr field .............…"
    Q("bgl-fpcrfield-fr", "fr", "BGL", ("E99",),
      "Combien de plantages BGL signalent une interruption de programme liée au champ CR flottant ?",
      "how_many"),
]
